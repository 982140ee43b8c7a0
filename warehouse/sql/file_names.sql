-- the file name of each document (for messages that name files)
select doc_id, coalesce(file_name, doc_id) from documents where doc_id in (select unnest(?::varchar[]))
