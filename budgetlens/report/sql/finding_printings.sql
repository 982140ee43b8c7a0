-- the printings a failed cross-check compared, for the report's page images: each error or withheld
-- finding of a current document whose item names a printing ('<field>@<place>#<obs_index>') gives
-- that printing and the canonical printing of the same field, with the file that prints each (the
-- document's own, or the text part of a split publication it was joined from).
with findings as (
    select
        q.doc_id,
        q.item,
        q.message,
        split_part(q.item, '@', 1) as field,
        try_cast(regexp_extract(q.item, '#(\d+)$', 1) as integer) as obs_index
    from quality_results as q
    semi join current_documents as d using (doc_id)
    where q.severity in ('error', 'withheld')
      and q.item like '%@%#%'
)

select
    f.doc_id,
    f.item,
    f.message,
    o.canonical,
    o.page,
    o.x0,
    o.top,
    o.x1,
    o.bottom,
    coalesce(o.part_doc_id, o.doc_id) as file_doc_id,
    p.file_sha256
from findings as f
join observations as o
    on o.doc_id = f.doc_id and o.field = f.field and (o.canonical or o.obs_index = f.obs_index)
join documents as p on p.doc_id = coalesce(o.part_doc_id, o.doc_id)
where o.page is not null
order by f.doc_id, f.item, file_doc_id, o.page, o.obs_index
