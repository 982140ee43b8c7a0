-- the fetches that did not end in a stored, unchanged or read resource: one row per url and
-- outcome (its latest fetch, and how many times it happened), latest first
select fetched_at, jurisdiction, url, status, outcome, error, attempts, times
from (
    select
        fetched_at,
        jurisdiction,
        url,
        status,
        outcome,
        error,
        attempts,
        count(*) over (partition by url, outcome) as times,
        row_number() over (partition by url, outcome order by fetched_at desc) as latest
    from fetch_log
    where outcome <> all(?::varchar [])
)
where latest = 1
order by fetched_at desc, url
limit ?
