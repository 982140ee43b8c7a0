-- text_cells: every body cell of the candidate documents that is text, not an amount.
select t.doc_id, t.table_index, t.table_kind, t.row_index, t.col_index, t.text, t.page
from table_cells as t
join quality_candidates as c using (doc_id)
where t.amount is null and t.text is not null and t.text <> ''
order by t.doc_id, t.table_index, t.row_index, t.col_index
