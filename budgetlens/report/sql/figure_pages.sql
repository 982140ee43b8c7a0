-- the page each compared figure was read from (provenance), for the report's source links.
select p.doc_id, p.field_path, min(p.page) as page
from provenance as p
semi join comparison_documents as d using (doc_id)
where p.section in ('totals', 'headcount') and p.page is not null
group by p.doc_id, p.field_path
