-- headcount of the candidate documents.
select h.*
from headcount as h
join quality_candidates as c using (doc_id)
