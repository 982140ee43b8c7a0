-- every current document, for the overview (status and reason included).
select
    doc_id,
    file_sha256,
    file_name,
    source_url,
    jurisdiction,
    department,
    department_type,
    fiscal_year,
    kind,
    status,
    coalesce(status_reason, error_code) as reason,
    first_page
from current_documents
order by jurisdiction nulls last, department nulls last, fiscal_year, file_name, doc_id
