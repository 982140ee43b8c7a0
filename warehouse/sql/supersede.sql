-- per source url, the newest file (by fetched_at, then parsed_at) is current; older files point to it
with ranked as (
    select
        source_url,
        file_sha256,
        row_number() over (
            partition by source_url
            order by fetched_at desc nulls last, parsed_at desc nulls last, file_sha256 desc
        ) as rn
    from documents
    where source_url in (select source_url from batch_urls)
),
latest as (
    select source_url, file_sha256 as current_sha
    from ranked
    where rn = 1
)
update documents
set superseded_by = case when documents.file_sha256 = latest.current_sha then null else latest.current_sha end
from latest
where documents.source_url = latest.source_url
