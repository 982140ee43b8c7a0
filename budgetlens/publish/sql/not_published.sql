-- current documents that no comparison uses, with the reason (quarantined or failed).
select
    doc_id,
    file_name,
    source_url,
    jurisdiction,
    department,
    fiscal_year,
    kind,
    status,
    coalesce(status_reason, error_code, status) as reason
from current_documents
where status <> 'published'
order by jurisdiction nulls last, department nulls last, fiscal_year, file_name, doc_id
