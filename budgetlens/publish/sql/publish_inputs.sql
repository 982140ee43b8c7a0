-- everything the publish stage reads, summarised in one row: a document loaded, replaced,
-- superseded, re-typed or given another status or quality verdict changes it. the comparison
-- tables are derived from these rows, so they are not part of it.
with
docs as (
    select
        count(*) as documents,
        coalesce(sum(hash(doc_id, status, status_reason, superseded_by, replaced_by, part_of, loaded_at, checked_at,
                          department_type, department_canonical, quality_flags)), 0) as documents_hash
    from documents
),

quality as (
    select
        count(*) as quality_results,
        coalesce(sum(hash(doc_id, expectation, severity, item, message, checked_at)), 0) as quality_hash
    from quality_results
)

select docs.documents, docs.documents_hash, quality.quality_results, quality.quality_hash
from docs, quality
