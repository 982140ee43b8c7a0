select run_id, started_at, finished_at, status, summary
from runs
order by started_at desc
limit 1
