select doc_id
from documents
where source_url in (select source_url from batch_urls)
  and superseded_by is not null
order by doc_id
