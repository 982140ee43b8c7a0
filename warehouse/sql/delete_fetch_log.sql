delete from fetch_log
using batch_fetch_log as b
where fetch_log.url = b.url
  and fetch_log.fetched_at = b.fetched_at
