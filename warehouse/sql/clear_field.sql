update {table} set {column} = null where doc_id = ?
