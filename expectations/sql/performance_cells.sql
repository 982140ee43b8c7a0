-- performance_cells: the cells of the candidate documents' performance tables that matter for their
-- amounts: every amount cell, and the text cells of rows that hold an amount (task names, 金额合计),
-- the text cut to 40 characters (a label, not the task's description).
with amount_rows as (
    select distinct t.doc_id, t.table_index, t.row_index
    from table_cells as t
    join quality_candidates as c using (doc_id)
    where t.table_kind = 'performance' and t.amount is not null
)
select t.doc_id, t.table_index, t.row_index, t.col_index, left(t.text, 40) as text, t.amount, t.page
from table_cells as t
join amount_rows as a using (doc_id, table_index, row_index)
where t.table_kind = 'performance'
order by t.doc_id, t.table_index, t.row_index, t.col_index
