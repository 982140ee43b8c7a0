-- every current document in exactly one group (`outcome`), so the overview's counts add up:
-- compared (a comparison uses it: comparison_documents), not_compared (published, yet no comparison
-- uses it), quarantined or failed; with why it is not compared, read from the document's own record
-- (its status reason or error, else its kind).
select
    d.doc_id,
    d.file_sha256,
    d.file_name,
    d.source_url,
    d.jurisdiction,
    d.department,
    d.department_type,
    d.fiscal_year,
    d.kind,
    d.status,
    case
        when c.doc_id is not null then 'compared'
        when d.status in ('quarantined', 'failed') then d.status
        else 'not_compared'
    end as outcome,
    case
        when c.doc_id is not null then null
        when d.status <> 'published' then coalesce(d.status_reason, d.error_code, d.status)
        when d.status_reason is not null then d.status_reason
        when d.kind is distinct from 'budget'
            then 'not a budget (kind ' || coalesce(d.kind, 'not recorded') || '): only budgets are compared'
        else 'published, but no comparison uses it'
    end as reason,
    c.duplicate_of,
    d.first_page
from current_documents as d
left join comparison_documents as c on c.doc_id = d.doc_id
order by
    case outcome when 'compared' then 0 when 'not_compared' then 1 when 'quarantined' then 2 else 3 end,
    d.jurisdiction nulls last,
    d.department nulls last,
    d.fiscal_year,
    d.file_name,
    d.doc_id
