-- observations (every printing of a figure the parser read) of the candidate documents.
select o.doc_id, o.obs_index, o.field, o.place, o.label, o.printed, o.unit, o.value, o.canonical, o.page
from observations as o
join quality_candidates as c using (doc_id)
order by o.doc_id, o.obs_index
