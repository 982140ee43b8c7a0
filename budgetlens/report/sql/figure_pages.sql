-- the page each compared figure was read from (provenance), for the report's source links, and the
-- document whose file holds that page: its own, or the text part of a split publication it came from.
-- final accounts in the execution comparison are included (their spent figures link their pages).
select p.doc_id, p.field_path, min(p.page) as page, coalesce(min(p.part_doc_id), p.doc_id) as file_doc_id
from provenance as p
where p.section in ('totals', 'headcount')
  and p.page is not null
  and p.doc_id in (select doc_id from comparison_documents union select final_doc_id from execution_comparison)
group by p.doc_id, p.field_path
