-- text_cells: body cells of the candidate documents that are text (not an amount) and could hold a
-- template placeholder: only cells with one of the characters a placeholder needs (X x Ｘ ｘ × 【) are
-- pulled; the placeholder expectation itself (GX, exact regex) decides. A cell with none of them
-- cannot match, so leaving it out changes no verdict and keeps 200,000 cells per 1,000 documents
-- out of memory.
select t.doc_id, t.table_index, t.table_kind, t.row_index, t.col_index, t.text, t.page
from table_cells as t
join quality_candidates as c using (doc_id)
where t.amount is null
  and t.text is not null
  and regexp_matches(t.text, '[XxＸｘ×【]')
order by t.doc_id, t.table_index, t.row_index, t.col_index
