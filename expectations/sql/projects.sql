-- projects of the candidate documents, in document order.
select p.doc_id, p.line_no, p.name, p.amount
from projects as p
join quality_candidates as c using (doc_id)
order by p.doc_id, p.line_no
