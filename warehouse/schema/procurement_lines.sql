-- procurement_lines: procurement table rows below its total, in document order.
create table if not exists procurement_lines (
    doc_id        varchar not null,
    line_no       integer not null,
    category_code varchar,
    category      varchar,
    amount        decimal(18, 2)
);
