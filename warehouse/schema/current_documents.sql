-- current_documents: documents not replaced by a newer file from the same url (count these once).
create or replace view current_documents as
select *
from documents
where superseded_by is null;
