-- delete_checks: the previous outcomes of the (document, expectation) pairs decided now
-- (quality_outcomes is a registered arrow table).
delete from quality_checks
using quality_outcomes as o
where quality_checks.doc_id = o.doc_id
  and quality_checks.expectation = o.expectation
