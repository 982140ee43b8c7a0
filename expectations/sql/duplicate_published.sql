-- duplicate_published: current published budgets sharing (jurisdiction, department, fiscal_year, kind).
with keyed as (
    select doc_id, file_name, jurisdiction, coalesce(department_canonical, department) as department_key,
           fiscal_year, kind
    from current_documents
    where status = 'published'
),
dup as (
    select jurisdiction, department_key, fiscal_year, kind
    from keyed
    group by all
    having count(*) > 1
)
select k.jurisdiction, k.department_key, k.fiscal_year, k.kind, k.doc_id, k.file_name
from keyed as k
join dup using (jurisdiction, department_key, fiscal_year, kind)
order by all
