-- function_lines of the candidate documents, in document order.
select f.doc_id, f.line_no, f.code, f.name, f.level, f.total, f.basic, f.project
from function_lines as f
join quality_candidates as c using (doc_id)
order by f.doc_id, f.line_no
