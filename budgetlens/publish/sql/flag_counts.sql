-- how many compared documents carry warning flags, and how many duplicates peer statistics leave out.
select
    count(*) filter (where len(warning_flags) > 0) as flagged,
    count(*) filter (where duplicate_of is not null) as duplicates
from comparison_documents
