-- economic_lines of the candidate documents, in document order.
select e.doc_id, e.line_no, e.code, e.name, e.amount
from economic_lines as e
join quality_candidates as c using (doc_id)
order by e.doc_id, e.line_no
