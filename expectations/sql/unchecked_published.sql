-- unchecked_published: current published documents the quality stage has not decided (must be none).
select doc_id, file_name
from current_documents
where status = 'published' and checked_at is null
order by doc_id
