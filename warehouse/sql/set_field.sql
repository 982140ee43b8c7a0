update {table} set {column} = ? where doc_id = ?
