-- observations (every printing of a figure the parser read) of the candidate documents; a printing a
-- budget took from the text part of its split publication names that part's file (part_file).
select o.doc_id, o.obs_index, o.field, o.place, o.label, o.printed, o.unit, o.value, o.canonical, o.page,
       o.part_doc_id, p.file_name as part_file
from observations as o
join quality_candidates as c using (doc_id)
left join documents as p on p.doc_id = o.part_doc_id
order by o.doc_id, o.obs_index
