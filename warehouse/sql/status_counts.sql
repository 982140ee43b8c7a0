select
    status,
    count(*) filter (where superseded_by is null) as current,
    count(*) filter (where superseded_by is not null) as superseded
from documents
group by status
order by status
