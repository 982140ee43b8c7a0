-- observations: every printing of a figure the parser read (record.observations), canonical included,
-- so the quality suites can compare tables and prose independently of the parser's own warnings.
create table if not exists observations (
    doc_id     varchar not null,
    obs_index  integer not null,  -- position in record.observations
    field      varchar not null,  -- totals.<name> / headcount.<name> / function:<code> / table_total:<kind>.<col>
    place      varchar,           -- the table kind, or 'prose' (the record's `where`)
    label      varchar,           -- row label or sentence fragment as printed
    printed    varchar,           -- the figure exactly as printed ('2,579')
    unit       varchar,           -- unit it was printed in (万元 / 元 / 人); null for counts
    value      decimal(18, 2),    -- yuan for amounts; the count for headcount
    canonical  boolean,           -- the printing the record's value comes from
    page       integer,
    x0         double,
    top        double,
    x1         double,
    bottom     double,
    part_doc_id varchar           -- the part (doc_id) of a split publication it was printed in; null: this file
);
