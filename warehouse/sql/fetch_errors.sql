-- the latest fetches that did not end in a stored, unchanged or read resource
select fetched_at, jurisdiction, url, status, outcome, error, attempts
from fetch_log
where outcome <> all (?::varchar[])
order by fetched_at desc, url
limit ?
