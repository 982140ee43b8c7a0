update runs
set finished_at = ?, status = ?, summary = ?
where run_id = ?
