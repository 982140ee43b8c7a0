select b.doc_id
from batch_status as b
where b.doc_id not in (select doc_id from documents)
