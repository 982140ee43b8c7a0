-- audit: one row per finding of every current document of the scratch warehouse (documents that
-- passed everything: one row with a null expectation), ordered for grouping.
select
    d.file_name,
    d.status,
    d.status_reason,
    q.expectation,
    q.severity,
    q.message
from current_documents as d
left join quality_results as q using (doc_id)
order by d.file_name, q.severity, q.expectation, q.message
