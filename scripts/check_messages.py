"""Fail when the English translation file misses a Dutch source string (CI guard).

Runs makemessages on a scratch copy of the source tree and compares the msgids with the
committed src/wijkpunt/locale/en/LC_MESSAGES/django.po. Fix with:
    cd src/wijkpunt && ../../.venv/bin/python ../../manage.py makemessages -l en \\
        --ignore "static/vendor/*" --ignore "*/tests/*"
then translate the new entries and compile (make messages)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "src" / "wijkpunt" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def msgids(path: Path) -> set[str]:
    ids, current, in_id = set(), [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current, in_id = [line[6:]], True
        elif in_id and line.startswith('"'):
            current.append(line)
        else:
            if in_id:
                text = "".join(re.sub(r'^"|"$', "", part) for part in current)
                if text:
                    ids.add(text)
            in_id = False
    return ids


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "wijkpunt"
        shutil.copytree(ROOT / "src" / "wijkpunt", copy, ignore=shutil.ignore_patterns("vendor", "__pycache__"))
        subprocess.run(
            [sys.executable, "-m", "django", "makemessages", "-l", "en", "--ignore", "*/tests/*", "-v", "0"],
            cwd=copy, check=True,
        )
        fresh = msgids(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    missing = sorted(fresh - msgids(PO))
    if missing:
        print("Untranslated source strings (not in django.po):", *missing, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
