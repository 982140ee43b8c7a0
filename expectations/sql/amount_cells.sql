-- amount_cells: every non-blank cell of the candidates' tables that the peers and final-accounts suites
-- foot (a blank cell is nothing; the columns come from the header).
select t.doc_id, t.table_index, t.table_kind, t.row_index, t.col_index, t.text, t.amount, t.page
from table_cells as t
join quality_candidates as c using (doc_id)
where t.table_kind in ('income', 'expense', 'appropriation_summary', 'summary', 'gov_fund', 'state_capital')
  and t.text is not null
  and trim(t.text) <> ''
order by t.doc_id, t.table_index, t.row_index, t.col_index
