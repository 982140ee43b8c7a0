-- published_with_warnings: current published documents with warning-level findings (published, flagged).
select d.doc_id, d.file_name, r.expectation, r.message
from current_documents as d
join quality_results as r using (doc_id)
where d.status = 'published' and r.severity = 'warning'
order by d.doc_id, r.expectation, r.item
