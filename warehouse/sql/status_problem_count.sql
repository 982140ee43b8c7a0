select count(*)
from current_documents
where status <> 'published'
