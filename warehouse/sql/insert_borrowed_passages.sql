insert into passages (doc_id, passage_no, page, text, part_doc_id)
values (?, ?, ?, ?, ?)
