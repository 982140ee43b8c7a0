-- budget_members: the documents that may form budgets (warehouse/budgets.py): current by url, not
-- failed, no parse error; with the budget key, whether they print tables, when they were fetched and
-- the Last-Modified the site sent with them (the first fetch of the file), and their present roles.
with modified as (
    select sha256, arg_min(last_modified, fetched_at) as last_modified
    from fetch_log
    where sha256 is not null and last_modified is not null
    group by sha256
)

select
    d.doc_id,
    d.jurisdiction,
    coalesce(d.department_canonical, d.department) as department_key,
    d.fiscal_year,
    d.kind,
    d.table_count,
    d.fetched_at,
    m.last_modified,
    d.part_of,
    d.replaced_by
from documents as d
left join modified as m on m.sha256 = d.file_sha256
where d.superseded_by is null
  and d.status <> 'failed'
  and d.error_code is null
order by d.doc_id
