"""The daily refresh (Asia/Shanghai): one run over every registered jurisdiction."""

import dagster as dg

from assets.partitions import JURISDICTIONS, range_tags
from pipeline.jobs import refresh_job


@dg.schedule(
    job=refresh_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every morning at 06:00 China time: fetch what changed, parse it, republish.",
)
def daily_refresh(context: dg.ScheduleEvaluationContext):
    keys = sorted(context.instance.get_dynamic_partitions(JURISDICTIONS))
    if not keys:
        return dg.SkipReason("no jurisdictions registered yet (the sources sensor registers them)")
    return dg.RunRequest(run_key=None, tags=range_tags(keys))
