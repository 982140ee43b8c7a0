-- the fields a budget took from a text part (their provenance rows name the part)
select distinct field_path from provenance where doc_id = ? and part_doc_id is not null
