-- function_lines: general public budget expenditure by function, in document order.
create table if not exists function_lines (
    doc_id  varchar not null,
    line_no integer not null,  -- 0-based index in the record's function_lines (provenance paths use it)
    code    varchar not null,  -- digits joined: 206 / 20601 / 2060101
    name    varchar,
    level   integer not null,  -- 1 类, 2 款, 3 项
    total   decimal(18, 2),
    basic   decimal(18, 2),
    project decimal(18, 2)
);
