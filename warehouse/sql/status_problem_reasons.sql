-- the distinct error-level quality messages of the given documents (status.py orders them as the
-- documents' status_reason does)
select distinct doc_id, message
from quality_results
where severity = 'error'
  and list_contains(?::varchar [], doc_id)
order by doc_id, message
