-- candidates: the current documents whose status the quality stage decides: those the loader
-- published, and those this stage quarantined before (checked_at set, no parse error). documents the
-- loader quarantined (parse error, sub-cent amount) or failed keep their status.
select doc_id, file_sha256, file_name, source_url, jurisdiction, department, department_canonical,
       department_type, fiscal_year, kind, scope, template, status, checked_at, fetched_at, parsed_at,
       page_count
from current_documents
where status = 'published'
   or (status = 'quarantined' and checked_at is not null and error_code is null)
order by doc_id
