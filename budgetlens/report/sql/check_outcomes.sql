-- every check's outcome over the current documents, per expectation: in how many documents it passed
-- (checked and right), failed, or was skipped (nothing to check), with the most frequent skip reason.
with outcomes as (
    select q.expectation, q.suite, q.outcome, q.reason
    from quality_checks as q
    semi join current_documents using (doc_id)
)

select
    expectation,
    suite,
    count(*) filter (where outcome = 'passed') as passed,
    count(*) filter (where outcome = 'failed') as failed,
    count(*) filter (where outcome = 'skipped') as skipped,
    mode(reason) filter (where outcome = 'skipped') as skip_reason
from outcomes
group by expectation, suite
order by suite, expectation
