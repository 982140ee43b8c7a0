-- current_documents: one row per budget to count once: not replaced by a newer file from the same
-- url (superseded_by) or of the same department-year from another url (replaced_by), and not the
-- text part of a split publication (part_of: its figures are joined into the budget it names).
create or replace view current_documents as
select *
from documents
where superseded_by is null
  and replaced_by is null
  and part_of is null;
