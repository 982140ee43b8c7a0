-- candidate_count: how many current documents the quality stage decides (see candidates.sql).
select count(*)
from current_documents
where status = 'published'
   or (status = 'quarantined' and checked_at is not null and error_code is null)
