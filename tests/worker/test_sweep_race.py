"""Three processes sweep the same due escalations at the same moments: every step fires once.

The thread races in ``oncall/tests/test_concurrency.py`` need PostgreSQL (the in-memory SQLite test
database locks instead of waiting). This is the same race on a real database file: SQLite with the
app's settings (WAL, ``BEGIN IMMEDIATE``, busy timeout), or a fresh PostgreSQL database when
DATABASE_URL points to one. No worker runs: only the sweeps fire steps.
"""

from __future__ import annotations

import json
import time

N_ESCALATIONS = 40
STEPS = 3
WAIT = 2  # seconds between steps: a chain ends after STEPS * WAIT seconds
SWEEPERS = 3

# Each sweeper runs until every chain has ended (or a generous cap, so a broken build cannot hang):
# on a loaded machine the chains take longer than STEPS * WAIT, and that is not what is under test.
SWEEP_LOOP = """
import json, time
from wijkpunt.oncall.models import Escalation
from wijkpunt.oncall.services import escalation_sweep
start, earliest_end, cap = {start}, {earliest_end}, {cap}
time.sleep(max(0.0, start - time.time()))
fired = sweeps = 0
while time.time() < cap:
    fired += escalation_sweep()
    sweeps += 1
    if time.time() > earliest_end and not Escalation.objects.filter(status="actief").exists():
        break
    time.sleep(0.05)
print(json.dumps({{"fired": fired, "sweeps": sweeps}}))
"""


def test_sweeps_in_three_processes_fire_each_step_once(worker_world):
    h = worker_world
    h.manage("oncall_storm", "--setup", "--steps", str(STEPS), "--wait", str(WAIT))
    h.manage("oncall_storm", "--reports", str(N_ESCALATIONS), "--rate", "0")  # no worker: nothing fires yet
    start = time.time() + 3  # every process has started Django by then
    code = SWEEP_LOOP.format(start=start, earliest_end=start + STEPS * WAIT + 1, cap=start + 150)
    procs = [h.spawn("shell", "-c", code, log=f"sweeper-{i}.log") for i in range(SWEEPERS)]
    for proc in procs:
        assert proc.wait(200) == 0, h.logs()
    results = [json.loads(proc.log_path.read_text().strip().splitlines()[-1]) for proc in procs]

    fired = [r["fired"] for r in results]
    assert sum(fired) == N_ESCALATIONS * STEPS, results  # every step once, by whichever sweep came first
    assert h.query("SELECT DISTINCT status, next_step FROM oncall_escalation") == [("uitgeput", STEPS)]
    pages = h.query("SELECT escalation_id, step FROM oncall_page")
    assert len(pages) == len(set(pages)) == N_ESCALATIONS * STEPS
    exhausted_mails = h.scalar("SELECT COUNT(*) FROM core_outboxmessage WHERE idempotency_key LIKE %s",
                               ("%-exhausted",))
    assert exhausted_mails == N_ESCALATIONS
    print(f"\n[sweep race, {h.vendor}] {SWEEPERS} processes, {N_ESCALATIONS} escalations x {STEPS} steps: "
          f"fired per process {fired}, sweeps per process {[r['sweeps'] for r in results]}")
