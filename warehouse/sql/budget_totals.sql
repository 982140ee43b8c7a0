select * from totals where doc_id = ?
