select * from headcount where doc_id = ?
