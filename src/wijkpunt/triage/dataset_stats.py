"""Counts per class of the labelled data set, as Markdown (used in data/classifier/PROVENANCE.md).

    python -m wijkpunt.triage.dataset_stats [path/to/meldingen.csv]
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from wijkpunt.triage.classifier import DEFAULT_DATASET_PATH, TAXONOMY, URGENCY_LEVELS


def counts_markdown(path: str | Path = DEFAULT_DATASET_PATH) -> str:
    with Path(path).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    per_sub = Counter((r["category"], r["subcategory"], r["urgency"]) for r in rows)
    sources = Counter(r.get("source", "") for r in rows)
    lines = [
        f"Total: **{len(rows)}** rows.",
        "",
        "| category | subcategory | " + " | ".join(URGENCY_LEVELS) + " | total |",
        "|---|---|" + "---:|" * (len(URGENCY_LEVELS) + 1),
    ]
    for category, subs in TAXONOMY.items():
        for sub in subs:
            cells = [per_sub[(category, sub, u)] for u in URGENCY_LEVELS]
            lines.append(f"| {category} | {sub} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} |")
    totals = [sum(v for (_, _, u), v in per_sub.items() if u == level) for level in URGENCY_LEVELS]
    lines.append("| **all** | | " + " | ".join(f"**{t}**" for t in totals) + f" | **{len(rows)}** |")
    lines += ["", "| category | rows |", "|---|---:|"]
    per_cat = Counter(r["category"] for r in rows)
    lines += [f"| {c} | {per_cat[c]} |" for c in TAXONOMY]
    lines += ["", "| source | rows |", "|---|---:|"]
    lines += [f"| {src} | {n} |" for src, n in sources.most_common()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(counts_markdown(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_DATASET_PATH))
