select count(*)
from documents
where status <> 'published'
  and superseded_by is null
