-- documents by status: current ones (current_documents: one per budget) and the others (older files
-- superseded or replaced by a newer one, text parts joined into their budget)
select
    status,
    count(*) filter (where doc_id in (select doc_id from current_documents)) as current,
    count(*) filter (where doc_id not in (select doc_id from current_documents)) as not_current
from documents
group by status
order by status
