-- observations (every printing of a figure the parser read) of the candidate documents.
select o.*
from observations as o
join quality_candidates as c using (doc_id)
