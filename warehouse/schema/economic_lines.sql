-- economic_lines: basic expenditure by economic classification, in document order.
create table if not exists economic_lines (
    doc_id  varchar not null,
    line_no integer not null,
    code    varchar,
    name    varchar,
    amount  decimal(18, 2)
);
