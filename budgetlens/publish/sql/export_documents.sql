-- documents export: every current document (published, quarantined, failed) with its status and
-- reason, so a reader sees what was left out and why.
select *
from current_documents
order by jurisdiction, department_canonical, fiscal_year, doc_id
