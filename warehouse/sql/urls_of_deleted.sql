select distinct source_url
from documents
where doc_id in (select doc_id from batch_delete_ids)
  and source_url is not null
