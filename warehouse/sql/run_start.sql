insert into runs (run_id, started_at, finished_at, status, summary)
values (?, ?, null, 'running', null)
