-- the page each compared figure was read from (provenance), for the report's source links, and the
-- document whose file holds that page: its own, or the text part of a split publication it came from.
select p.doc_id, p.field_path, min(p.page) as page, coalesce(min(p.part_doc_id), p.doc_id) as file_doc_id
from provenance as p
semi join comparison_documents as d using (doc_id)
where p.section in ('totals', 'headcount') and p.page is not null
group by p.doc_id, p.field_path
