-- how many distinct (url, outcome) fetch errors fetch_errors.sql could list
select count(*)
from (
    select distinct url, outcome
    from fetch_log
    where outcome <> all(?::varchar [])
)
