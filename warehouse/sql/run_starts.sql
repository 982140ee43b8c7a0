-- run_starts: when each pipeline run started (a file fetched after a run started that an older file
-- was fetched before was first seen in a later run)
select started_at from runs order by started_at
