-- the warning-level quality findings of compared documents (what their flags mean, in words).
select q.doc_id, q.expectation, q.message
from quality_results as q
semi join comparison_documents as d using (doc_id)
where q.severity = 'warning'
order by q.doc_id, q.expectation, q.item, q.message
