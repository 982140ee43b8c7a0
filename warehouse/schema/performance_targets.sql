-- performance_targets: indicator rows of the performance table (task null = department-wide).
create table if not exists performance_targets (
    doc_id           varchar not null,
    line_no          integer not null,
    task             varchar,
    indicator_level1 varchar,
    indicator_level2 varchar,
    indicator_level3 varchar,
    target           varchar
);
