-- provenance: where each figure of headcount, totals and function_lines was read.
create table if not exists provenance (
    doc_id     varchar not null,
    field_path varchar not null,  -- 'totals.expense_total', 'function_lines[3].total'
    section    varchar not null,  -- headcount / totals / function_lines
    page       integer,
    x0         double,
    top        double,
    x1         double,
    bottom     double,
    source     varchar,           -- table / prose
    part_doc_id varchar           -- the part (doc_id) of a split publication the figure was read from; null: this file
);
