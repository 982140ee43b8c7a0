-- prose_passages: the prose sentences of the candidate documents that state a percentage
-- (record.passages), in document order, for the peers suite's prose_shares_match_tables.
select p.doc_id, p.passage_no, p.text, p.page
from passages as p
join quality_candidates as c using (doc_id)
order by p.doc_id, p.passage_no
