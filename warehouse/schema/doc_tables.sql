-- doc_tables: every standard table found in the document (the record's tables[] without rows).
create table if not exists doc_tables (
    doc_id      varchar not null,
    table_index integer not null,  -- 0-based position in the record's tables[]
    kind        varchar not null,
    title       varchar,
    unit        varchar,
    pages       integer[],
    empty       boolean not null,
    header      varchar,           -- json array of header rows, as printed
    row_count   integer not null,
    col_count   integer not null
);
