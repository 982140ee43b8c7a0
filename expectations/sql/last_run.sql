-- last_run: the latest quality run (its suite version decides whether the suites changed since).
select checked_at, suite_version, documents, data_docs
from quality_runs
order by checked_at desc
limit 1
