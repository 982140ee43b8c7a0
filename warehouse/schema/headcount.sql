-- headcount: one row per doc_id, one column per glossary field (null = not stated).
create table if not exists headcount (
    doc_id                     varchar not null,
    admin_authorized           integer,
    admin_actual               integer,
    admin_auxiliary_authorized integer,
    cs_managed_authorized      integer,
    cs_managed_actual          integer,
    institution_authorized     integer,
    institution_actual         integer,
    authorized_total           integer,
    actual_total               integer,
    veteran_retirees           integer,
    retirees                   integer,
    retirees_total             integer,
    internal_divisions         integer,
    subordinate_units          integer,
    vehicles                   integer,
    large_equipment            integer,
    self_evaluated_projects        integer,
    self_evaluated_level1_projects integer,
    self_evaluated_level2_projects integer,
    department_evaluated_projects  integer
);
