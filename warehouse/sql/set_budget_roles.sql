-- set_budget_roles: the part_of / replaced_by that warehouse/budgets.py planned, for the documents whose role changed
update documents
set part_of = r.part_of,
    replaced_by = r.replaced_by
from budget_roles as r
where documents.doc_id = r.doc_id
