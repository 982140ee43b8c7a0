delete from provenance where doc_id = ? and part_doc_id is not null
