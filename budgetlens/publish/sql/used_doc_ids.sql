-- the documents the comparisons are built from.
select doc_id from comparison_documents order by doc_id
