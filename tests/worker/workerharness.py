"""Helpers for the worker tests: a real huey worker in a subprocess, on a database of its own.

The ``worker_world`` fixture (conftest.py) gives a :class:`WorkerHarness`: a temporary
``WIJKPUNT_VAR_DIR`` (huey's SQLite queue, the e-mail files), a fresh database (an SQLite file in that directory; or, when
``DATABASE_URL`` points to PostgreSQL, a database ``wijkpunt_kill_<pid>_<n>`` on that server,
created here and dropped at the end), migrated by ``manage.py migrate`` in a subprocess, and a
:class:`FakeCM` SMS gateway in this process. Everything Django runs in subprocesses
(``DJANGO_SETTINGS_MODULE=wijkpunt.settings.base``, ``WIJKPUNT_ENV=development``), so nothing here
touches pytest-django's test database; this process reads the worker's database directly (sqlite3
or psycopg, read-only queries).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from wijkpunt.core.tests.cm_fake import FakeCM

ROOT = Path(__file__).resolve().parents[2]
MANAGE = ROOT / "manage.py"
UTC = dt.UTC
STALE_CLAIM_SECONDS = 5  # a message claimed by the killed worker is taken over after this long
_counter = itertools.count(1)


def _pg_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _with_db_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def as_utc(value) -> dt.datetime | None:
    """A timestamp read straight from the database: SQLite text (UTC) or a PostgreSQL timestamptz."""
    if value is None:
        return None
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


class WorkerHarness:
    def __init__(self, tmp_path: Path, cm: FakeCM):
        self.tmp = tmp_path
        self.var_dir = tmp_path / "var"
        self.var_dir.mkdir()
        self.cm = cm
        self.pg_admin = _pg_url()
        self.pg_name = f"wijkpunt_kill_{os.getpid()}_{next(_counter)}" if self.pg_admin else None
        self.vendor = "postgresql" if self.pg_admin else "sqlite"
        self.workers: list[subprocess.Popen] = []
        self.others: list[subprocess.Popen] = []
        self._worker_log_index = 0
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("WIJKPUNT_", "DJANGO_")) and k != "DATABASE_URL"}
        env.update(
            DJANGO_SETTINGS_MODULE="wijkpunt.settings.base",
            WIJKPUNT_ENV="development",
            WIJKPUNT_SECRET_KEY="worker-kill-test-" + "k" * 40,
            WIJKPUNT_VAR_DIR=str(self.var_dir),
            WIJKPUNT_HUEY_IMMEDIATE="false",
            WIJKPUNT_EMAIL_BACKEND="file",  # EMAIL_FILE_PATH = VAR_DIR / "mail"
            # the stale-claim interval must exceed both send timeouts (settings refuse otherwise)
            WIJKPUNT_EMAIL_TIMEOUT="4",
            WIJKPUNT_SMS_TIMEOUT="4",
            WIJKPUNT_OUTBOX_STALE_CLAIM_SECONDS=str(STALE_CLAIM_SECONDS),
            WIJKPUNT_LOG_LEVEL="INFO",
            WIJKPUNT_MAP_TILES="",
            PYTHONUNBUFFERED="1",
            **cm.env(),
        )
        if self.pg_admin:
            env["DATABASE_URL"] = _with_db_name(self.pg_admin, self.pg_name)
        self.env = env

    # --- database ------------------------------------------------------------------------
    def create_database(self) -> None:
        if self.pg_admin:
            import psycopg

            with psycopg.connect(_with_db_name(self.pg_admin, "postgres"), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{self.pg_name}"')
        self.manage("migrate", "-v0", timeout=180)

    def drop_database(self) -> None:
        if self.pg_admin:
            import psycopg

            with psycopg.connect(_with_db_name(self.pg_admin, "postgres"), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Read the worker's database directly (``%s`` placeholders, as in Django)."""
        if self.pg_admin:
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as conn:
                return conn.execute(sql, params).fetchall()
        conn = sqlite3.connect(self.var_dir / "wijkpunt.sqlite3", timeout=20)
        try:
            return conn.execute(sql.replace("%s", "?"), params).fetchall()
        finally:
            conn.close()

    def scalar(self, sql: str, params: tuple = ()):
        return self.query(sql, params)[0][0]

    def huey_query(self, sql: str, commit: bool = False) -> list[tuple]:
        """Huey's own SQLite queue (tables ``task`` and ``schedule``)."""
        conn = sqlite3.connect(self.var_dir / "huey.sqlite3", timeout=20)
        try:
            rows = conn.execute(sql).fetchall()
            if commit:
                conn.commit()
            return rows
        finally:
            conn.close()

    # --- processes -----------------------------------------------------------------------
    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, str(MANAGE), *args], env=self.env, cwd=ROOT,
                                capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result

    def spawn(self, *args: str, log: str) -> subprocess.Popen:
        handle = open(self.tmp / log, "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen([sys.executable, str(MANAGE), *args], env=self.env, cwd=ROOT,
                                stdout=handle, stderr=subprocess.STDOUT)
        proc.log_path = self.tmp / log
        proc.log_handle = handle
        self.others.append(proc)
        return proc

    def start_worker(self, *, ready_timeout: float = 30) -> subprocess.Popen:
        """``manage.py run_huey`` (thread workers: one process). Returns once the consumer logged its start."""
        self._worker_log_index += 1
        proc = self.spawn("run_huey", log=f"worker-{self._worker_log_index}.log")
        self.others.remove(proc)
        self.workers.append(proc)
        deadline = time.monotonic() + ready_timeout
        while "Huey consumer started" not in proc.log_path.read_text(errors="replace"):
            assert proc.poll() is None, f"worker exited:\n{proc.log_path.read_text()}"
            assert time.monotonic() < deadline, f"worker not ready:\n{proc.log_path.read_text()}"
            time.sleep(0.1)
        proc.ready_at = time.time()
        return proc

    def kill_worker(self, proc: subprocess.Popen) -> float:
        """SIGKILL the consumer process itself (no wrapper: Popen runs python directly)."""
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
        assert b"run_huey" in cmdline, cmdline  # the actual consumer, not a shell
        assert not _children(proc.pid), "thread workers: the consumer has no child processes"
        os.kill(proc.pid, signal.SIGKILL)
        killed_at = time.time()
        assert proc.wait(10) == -signal.SIGKILL
        return killed_at

    def stop(self, proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        proc.log_handle.close()

    def stop_all(self) -> None:
        for proc in self.workers + self.others:
            self.stop(proc)

    def logs(self) -> str:
        out = []
        for proc in self.workers + self.others:
            text = proc.log_path.read_text(errors="replace")
            out.append(f"--- {proc.log_path.name} (last 60 lines)\n" + "\n".join(text.splitlines()[-60:]))
        return "\n".join(out)

    # --- what the receiving ends got -----------------------------------------------------
    def mail_message_ids(self) -> Counter:
        """Message-IDs in the file backend's output (one file per sent message, a repeat counts twice)."""
        found: Counter = Counter()
        for path in (self.var_dir / "mail").glob("*.log"):
            found.update(re.findall(r"^Message-ID: <([^>]+)>", path.read_text(errors="replace"), flags=re.M))
        return found

    def sms_references(self) -> Counter:
        """References of the SMS the fake gateway accepted (a repeat counts twice)."""
        return Counter(reference for _number, _text, reference in list(self.cm.messages))

    def wait_until(self, condition, *, timeout: float, what: str, interval: float = 0.5):
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{self.logs()}")
            time.sleep(interval)
