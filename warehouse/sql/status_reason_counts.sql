-- quarantined and failed current documents by reason, most first. a document's reasons: the
-- parser's error code, else each error-level expectation it failed, else the head of its recorded
-- reason (before the first colon), else the whole reason. a document may count under several.
with problems as (
    select doc_id, error_code, status_reason
    from current_documents
    where status <> 'published'
),

failed_expectations as (
    select distinct doc_id, expectation
    from quality_results
    where severity = 'error'
),

keyed as (
    select
        p.doc_id,
        coalesce(
            p.error_code,
            e.expectation,
            nullif(trim(regexp_extract(p.status_reason, '^([^:：]*)[:：]', 1)), ''),
            nullif(trim(p.status_reason), ''),
            '(no reason recorded)'
        ) as reason
    from problems as p
    left join failed_expectations as e on p.doc_id = e.doc_id and p.error_code is null
)

select reason, count(distinct doc_id) as documents
from keyed
group by reason
order by documents desc, reason
