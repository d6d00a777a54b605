"""The results of a consultation: pure functions over plain data (no database, no Django models).

Rules (docs/consultation.md, "Uitslag"):

* **State of an address** (``address_state``) from its visits in order: "answered", "refused" and
  "moved" are final and replace what came before; "not home" only counts while nothing final was
  recorded (a later "not home" never undoes an answer). The answers that count are those of the
  **last answered visit**, and only while the address's state is "answered".
* **Response rate** = answered ÷ (addresses − moved): a moved/empty home has nobody to ask, so it
  is left out of the denominator; a refusal counts as asked and not answered.
* **Shares** are of the households that answered *that* question (a multiple-choice question's
  shares can add up to more than 100 %). Counts are exact; shares are rounded to one decimal.
* **Outcome of a single-choice question**: the option with the most answers is a *majority* when it
  has more than half of the answers, else the *largest choice*; two or more options with the same
  highest count are a *tie* (no majority). Any outcome where the response rate is below the
  threshold (``CONSULTATION_LOW_RESPONSE_PERCENT``, default 50) is marked *low response*.
* **Scale**: the distribution per value and the average (two decimals).
* **Small numbers** (``suppressed``): public output hides a street with fewer than
  ``MIN_PUBLIC_ANSWERS`` answers, and the complex total too when the hidden streets together have
  between 1 and ``MIN_PUBLIC_ANSWERS - 1`` answers (else the total minus the shown streets would
  reveal them). The same per question: a question that 1 to ``MIN_PUBLIC_ANSWERS - 1`` households
  answered (an optional question) is hidden in that street, and in the total when the hidden
  answers to it together are 1 to ``MIN_PUBLIC_ANSWERS - 1``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ANSWERED, NOT_HOME, REFUSED, MOVED, NOT_VISITED = "beantwoord", "niet-thuis", "geweigerd", "verhuisd", "niet-bezocht"
FINAL = frozenset({ANSWERED, REFUSED, MOVED})
CHOICE, MULTIPLE, SCALE, TEXT = "keuze", "meerkeuze", "schaal", "open"
MIN_PUBLIC_ANSWERS = 5
MAJORITY, PLURALITY, TIE, NONE = "meerderheid", "grootste", "gelijk", "geen"


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    kind: str
    text: str
    options: tuple[tuple[str, str], ...] = ()  # (code, label) in order
    scale_min: int = 1
    scale_max: int = 5
    scale_min_label: str = ""
    scale_max_label: str = ""


@dataclass(frozen=True)
class Record:
    """The effective outcome of one address (or one anonymised answered visit)."""

    street: str
    state: str
    answers: Mapping[int, Any] = field(default_factory=dict)  # question id -> code | [codes] | int | text
    remarks: tuple[str, ...] = ()  # every visit's remarks at this address


@dataclass(frozen=True)
class AddressState:
    state: str
    attempts: int
    counted: int | None  # index of the visit whose answers count


def address_state(outcomes: Sequence[str]) -> AddressState:
    """The state of one address from its visits' outcomes in chronological order."""
    state, last_answered = NOT_VISITED, None
    for index, outcome in enumerate(outcomes):
        if outcome in FINAL:
            state = outcome
        elif outcome == NOT_HOME and state in (NOT_VISITED, NOT_HOME):
            state = NOT_HOME
        if outcome == ANSWERED:
            last_answered = index
    return AddressState(state=state, attempts=len(outcomes), counted=last_answered if state == ANSWERED else None)


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _choice_outcome(counts: list[tuple[str, str, int]], respondents: int, low: bool) -> dict:
    if not respondents:
        return {"kind": NONE, "codes": [], "labels": [], "low_response": low}
    top = max(c for _code, _label, c in counts)
    leaders = [(code, label) for code, label, c in counts if c == top]
    if len(leaders) > 1:
        kind = TIE
    elif top * 2 > respondents:
        kind = MAJORITY
    else:
        kind = PLURALITY
    return {"kind": kind, "codes": [c for c, _l in leaders], "labels": [label for _c, label in leaders],
            "low_response": low}


def _question_result(q: QuestionSpec, answers: list[Any], *, low: bool, include_text: bool) -> dict:
    result: dict[str, Any] = {"id": q.id, "kind": q.kind, "text": q.text}
    answers = [a for a in answers if a not in (None, "", [])]
    result["respondents"] = respondents = len(answers)
    if q.kind in (CHOICE, MULTIPLE):
        tally: Counter = Counter()
        for value in answers:
            tally.update(set(value) if isinstance(value, (list, tuple, set)) else [value])
        counts = [(code, label, tally.get(code, 0)) for code, label in q.options]
        result["options"] = [{"code": code, "label": label, "count": n, "share": _pct(n, respondents)}
                             for code, label, n in counts]
        if q.kind == CHOICE:
            result["outcome"] = _choice_outcome(counts, respondents, low)
    elif q.kind == SCALE:
        numbers = [int(v) for v in answers]
        tally = Counter(numbers)
        result["distribution"] = [{"value": v, "count": tally.get(v, 0), "share": _pct(tally.get(v, 0), respondents)}
                                  for v in range(q.scale_min, q.scale_max + 1)]
        result["average"] = round(sum(numbers) / respondents, 2) if respondents else None
        result["min_label"], result["max_label"] = q.scale_min_label, q.scale_max_label
    else:
        result["texts"] = [str(a) for a in answers] if include_text else []
    return result


def _group(name: str | None, addresses: int, records: list[Record], questions: Sequence[QuestionSpec], *,
           threshold: float, include_text: bool) -> dict:
    states = Counter(r.state for r in records)
    answered, moved = states.get(ANSWERED, 0), states.get(MOVED, 0)
    visited = answered + moved + states.get(REFUSED, 0) + states.get(NOT_HOME, 0)
    eligible = max(addresses - moved, 0)
    rate = _pct(answered, eligible)
    # Compare the exact fraction, not the rounded percentage (49.96 % is below 50 %).
    low = eligible == 0 or answered * 100 < threshold * eligible
    answering = [r for r in records if r.state == ANSWERED]
    return {
        "street": name,
        "addresses": addresses,
        "answered": answered,
        "not_home": states.get(NOT_HOME, 0),
        "refused": states.get(REFUSED, 0),
        "moved": moved,
        "not_visited": max(addresses - visited, 0),
        "eligible": eligible,
        "response_rate": rate,
        "low_response": low,
        "questions": [_question_result(q, [r.answers.get(q.id) for r in answering], low=low,
                                       include_text=include_text) for q in questions],
        "remarks": [text for r in records for text in r.remarks if text] if include_text else [],
    }


def compute(addresses_per_street: Mapping[str, int], records: Iterable[Record], questions: Sequence[QuestionSpec],
            *, low_response_percent: float = 50, include_text: bool = False) -> dict:
    """Results per street (in the order of ``addresses_per_street``) and for the whole set.

    ``records`` holds one entry per address that was visited (its effective state and counted
    answers) plus anonymised answered visits; addresses without a record count as not visited.
    Free-text answers and remarks are only included with ``include_text``."""
    per_street: dict[str, list[Record]] = {street: [] for street in addresses_per_street}
    everything: list[Record] = []
    for record in records:
        per_street.setdefault(record.street, []).append(record)
        everything.append(record)
    streets = [
        _group(street, addresses_per_street.get(street, 0), rows, questions, threshold=low_response_percent,
               include_text=include_text)
        for street, rows in per_street.items()
    ]
    total = _group(None, sum(addresses_per_street.values()), everything, questions,
                   threshold=low_response_percent, include_text=include_text)
    return {"threshold": low_response_percent, "streets": streets, "complex": total}


def street_snapshot(results: dict, street: str) -> dict:
    """What a decision stores: the street's figures (without free text) and the threshold used."""
    for row in results["streets"]:
        if row["street"] == street:
            return {"threshold": results["threshold"], **_without_text(row)}
    raise KeyError(street)


def _without_text(group: dict) -> dict:
    questions = []
    for q in group["questions"]:
        q = dict(q)
        if q["kind"] == TEXT:
            q["texts"] = []
        questions.append(q)
    return {**group, "questions": questions, "remarks": []}


def _hidden_question(q: dict) -> dict:
    return {"id": q["id"], "kind": q["kind"], "text": q["text"], "suppressed": True}


def _public_group(group: dict) -> dict:
    group = _without_text(group)
    group["questions"] = [q for q in group["questions"] if q["kind"] != TEXT]
    return group


def public_view(results: dict, *, minimum: int = MIN_PUBLIC_ANSWERS) -> dict:
    """Aggregated figures only: no free text, no remarks; small streets and small questions
    suppressed (module docstring)."""
    streets, hidden_answers = [], 0
    hidden_per_question: Counter = Counter()
    for row in results["streets"]:
        row = _public_group(row)
        row["suppressed"] = row["answered"] < minimum
        if row["suppressed"]:
            hidden_answers += row["answered"]
            for q in row["questions"]:
                hidden_per_question[q["id"]] += q["respondents"]
            row = {"street": row["street"], "suppressed": True}
        else:
            questions = []
            for q in row["questions"]:
                if 0 < q["respondents"] < minimum:
                    hidden_per_question[q["id"]] += q["respondents"]
                    q = _hidden_question(q)
                questions.append(q)
            row["questions"] = questions
        streets.append(row)
    total = _public_group(results["complex"])
    total["suppressed"] = total["answered"] < minimum or 0 < hidden_answers < minimum
    if total["suppressed"]:
        total = {"street": None, "suppressed": True}
    else:
        total["questions"] = [
            _hidden_question(q) if 0 < q["respondents"] < minimum or 0 < hidden_per_question[q["id"]] < minimum
            else q for q in total["questions"]]
    return {"threshold": results["threshold"], "streets": streets, "complex": total}
