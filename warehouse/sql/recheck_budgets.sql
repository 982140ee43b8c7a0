-- recheck_budgets: a budget whose files or joined figures changed is validated again by the quality
-- stage (its candidates are the current documents with checked_at null)
update documents
set checked_at = null,
    status = case when status = 'quarantined' and error_code is null and checked_at is not null then 'published' else status end
where doc_id in (select doc_id from budget_recheck)
