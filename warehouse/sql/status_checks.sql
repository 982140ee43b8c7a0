-- every check's outcome (quality_checks) over the current documents: passed / failed / skipped
select outcome, count(*) as checks, count(distinct doc_id) as documents
from quality_checks
semi join current_documents using (doc_id)
group by outcome
order by outcome
