-- totals of the candidate documents (quality_candidates is a registered list of doc_ids).
select t.*
from totals as t
join quality_candidates as c using (doc_id)
