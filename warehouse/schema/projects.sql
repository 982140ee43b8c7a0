-- projects: project expenditure lines, in document order.
create table if not exists projects (
    doc_id            varchar not null,
    line_no           integer not null,
    name              varchar,
    amount            decimal(18, 2),
    prior_year_amount decimal(18, 2),
    change            decimal(18, 2)
);
