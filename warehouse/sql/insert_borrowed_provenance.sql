insert into provenance (doc_id, field_path, section, page, x0, top, x1, bottom, source, part_doc_id)
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
