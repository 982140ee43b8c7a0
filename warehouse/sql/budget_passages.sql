-- a document's own passages (not those it borrowed), in document order
select * from passages where doc_id = ? and part_doc_id is null order by passage_no
