-- published_with_errors: current published documents that fail an error-level expectation (must be none).
select d.doc_id, d.file_name, r.expectation, r.message
from current_documents as d
join quality_results as r using (doc_id)
where d.status = 'published' and r.severity = 'error'
order by d.doc_id, r.expectation, r.item
