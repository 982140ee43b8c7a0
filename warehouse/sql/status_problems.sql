-- the quarantined and failed current documents, grouped by status, then by source
select
    doc_id,
    status,
    jurisdiction,
    jurisdiction_hint,
    department,
    fiscal_year,
    file_name,
    error_code,
    status_reason
from current_documents
where status <> 'published'
order by status, coalesce(jurisdiction_hint, jurisdiction), fiscal_year, department, file_name, doc_id
limit ?
