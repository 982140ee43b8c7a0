delete from passages where doc_id = ? and part_doc_id is not null
