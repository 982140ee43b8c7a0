delete from {table}
where doc_id in (select doc_id from batch_delete_ids)
