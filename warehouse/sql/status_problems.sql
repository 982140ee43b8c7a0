select doc_id, status, jurisdiction, department, fiscal_year, file_name, status_reason
from documents
where status <> 'published'
  and superseded_by is null
order by status, jurisdiction, department, fiscal_year, doc_id
limit ?
