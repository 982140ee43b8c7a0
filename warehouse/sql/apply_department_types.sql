update documents
set department_canonical = m.department_canonical,
    department_type = m.department_type
from batch_department_types as m
where documents.department = m.department
  and documents.jurisdiction is not distinct from m.jurisdiction
