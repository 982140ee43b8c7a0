-- core-table export: the rows of current published documents only ({table} and {order} come from
-- the fixed list in budgetlens/publish/exports.py, never from input).
select t.*
from {table} as t
semi join (select doc_id from current_documents where status = 'published') as p using (doc_id)
order by {order}
