-- audit: every check's outcome over the current documents (passed / failed / skipped)
select outcome, count(*)
from quality_checks
semi join current_documents using (doc_id)
group by outcome
