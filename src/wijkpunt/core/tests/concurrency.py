"""Run actions at the same moment, for race tests (PostgreSQL pass: each thread has its own connection)."""

from __future__ import annotations

import threading

from django.db import connections


def race(*actions):
    """Run each action in its own thread, all released at once. Returns results (value or exception)."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait()
            results[i] = action()
        except Exception as exc:  # noqa: BLE001 - the caller checks what each thread got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results
