-- audit: every withheld figure with its document's file name.
select d.file_name, w.field, w.expectation, w.reason
from withheld_figures as w
join current_documents as d using (doc_id)
order by d.file_name, w.field
