-- the batch's doc_ids, plus records of a fully re-staged file that it no longer gives
select doc_id from batch_doc_ids
union
select d.doc_id
from documents as d
join batch_complete_files as f on d.file_sha256 = f.file_sha256
