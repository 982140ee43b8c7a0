-- performance_cells: every cell of the candidate documents' performance tables.
select t.doc_id, t.table_index, t.row_index, t.col_index, t.text, t.amount, t.page
from table_cells as t
join quality_candidates as c using (doc_id)
where t.table_kind = 'performance'
order by t.doc_id, t.table_index, t.row_index, t.col_index
