-- prior_results: the per-document verdicts of the candidates not validated in this run (an
-- incremental run re-decides only uniqueness for them). quality_candidates is a registered list.
select r.doc_id, r.expectation, r.suite, r.severity, r.item, r.message
from quality_results as r
join quality_candidates as c using (doc_id)
where r.expectation <> ?
order by r.doc_id
