-- procurement_lines of the candidate documents, in document order.
select p.doc_id, p.line_no, p.category_code, p.category, p.amount
from procurement_lines as p
join quality_candidates as c using (doc_id)
order by p.doc_id, p.line_no
