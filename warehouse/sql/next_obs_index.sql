select coalesce(max(obs_index) + 1, 0) from observations where doc_id = ?
