select coalesce(max(passage_no) + 1, 0) from passages where doc_id = ?
