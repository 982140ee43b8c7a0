-- parser warnings of the candidate documents (the stage keeps those that say figures were left out).
select w.doc_id, w.warning_no, w.code, w.message, w.page
from warnings as w
join quality_candidates as c using (doc_id)
order by w.doc_id, w.warning_no
