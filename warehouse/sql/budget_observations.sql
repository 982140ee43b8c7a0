-- a document's own observations (not those it borrowed), in document order
select * from observations where doc_id = ? and part_doc_id is null order by obs_index
