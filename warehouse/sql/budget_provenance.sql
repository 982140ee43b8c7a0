-- a document's own provenance rows (not those it borrowed)
select * from provenance where doc_id = ? and part_doc_id is null
