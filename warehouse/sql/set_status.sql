update documents
set status = b.status,
    status_reason = b.status_reason,
    quality_flags = b.quality_flags,
    checked_at = b.checked_at
from batch_status as b
where documents.doc_id = b.doc_id
