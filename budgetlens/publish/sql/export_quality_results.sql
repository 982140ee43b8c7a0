-- quality_results export: every failed expectation of every current document (errors of the
-- quarantined ones included: the reasons in full), so the export says why each was flagged or left out.
select q.*
from quality_results as q
semi join current_documents as d using (doc_id)
order by q.doc_id, q.severity, q.expectation, q.item, q.message
