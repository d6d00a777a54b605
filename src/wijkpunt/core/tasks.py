from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .cache import cache_purge_expired
from .outbox import outbox_deliver, outbox_flush


@db_task(retries=2, retry_delay=30)
def deliver_outbox_message(message_id: int) -> bool:
    return outbox_deliver(message_id=message_id)


@db_periodic_task(crontab(minute="*"))
def flush_outbox() -> int:
    return outbox_flush()


@db_periodic_task(crontab(minute="*/10"))
def purge_expired_cache() -> int:
    return cache_purge_expired()
