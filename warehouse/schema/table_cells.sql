-- table_cells: every body cell of every parsed table, with its amount in yuan where it is one.
create table if not exists table_cells (
    doc_id      varchar not null,
    table_index integer not null,
    table_kind  varchar not null,
    row_index   integer not null,
    col_index   integer not null,
    text        varchar,
    amount      decimal(18, 2),  -- the text converted with the table's unit; null when not an amount
    page        integer,
    x0          double,
    top         double,
    x1          double,
    bottom      double
);
