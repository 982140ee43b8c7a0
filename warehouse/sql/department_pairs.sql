select distinct department, jurisdiction
from documents
where department is not null
