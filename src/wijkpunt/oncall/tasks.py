from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import escalation_fire, escalation_sweep

# The sweep interval is one minute: huey's periodic granularity. It is the backstop; the normal
# path fires a step from an after-commit task or a task scheduled at the step's due time.
SWEEP_INTERVAL_SECONDS = 60


@db_task()
def fire_escalation(escalation_id: int) -> int:
    return escalation_fire(escalation_id)


@db_periodic_task(crontab(minute="*"))
def sweep_escalations() -> int:
    return escalation_sweep()


@db_periodic_task(crontab(hour="7", minute="5"))
def warn_roster_gaps() -> int:
    from .gaps import roster_gap_warnings_send

    return roster_gap_warnings_send()
