-- unchecked_count: published current documents the quality stage has not decided yet (loaded since).
select count(*)
from current_documents
where status = 'published' and checked_at is null
