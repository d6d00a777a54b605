"""Held-out evaluation of the report classifier: the figures in docs/classifier.md and
docs/performance.md (macro-F1, urgent recall and precision, share for a human, timings)."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from .classifier import (
    CATEGORY_THRESHOLD,
    SPOED_AUTO_THRESHOLD,
    SPOED_TARGET_RECALL,
    SUBCATEGORY_THRESHOLD,
    URGENCY_THRESHOLD,
    ReportClassifier,
    Row,
    stems,
)


def _near_duplicate(a: set[str], b: set[str], limit: float = 0.6) -> bool:
    return bool(a) and bool(b) and len(a & b) / len(a | b) >= limit


def evaluate(rows: Sequence[Row], *, test_size: float = 0.2, random_state: int = 0) -> dict:
    """Train on a stratified split and measure on the held-out part.

    Held-out texts that are near-copies of a training text (Jaccard >= 0.6 on word stems, e.g. a
    scripted informal variant) are dropped from the test part so the figures are not flattered.
    Returns macro-F1 (category, subcategory, urgency), urgent recall and precision, the share left
    for a human, train seconds and predict milliseconds per text (see docs/classifier.md).
    """
    return evaluate_with_model(rows, test_size=test_size, random_state=random_state)[0]


def evaluate_with_model(
    rows: Sequence[Row], *, test_size: float = 0.2, random_state: int = 0
) -> tuple[dict, ReportClassifier]:
    """:func:`evaluate`, also returning the classifier trained on the training part."""
    rows = [tuple(r[:4]) for r in rows]
    strata = [f"{r[1]}/{r[2]}" for r in rows]
    train_rows, test_rows = train_test_split(
        rows, test_size=test_size, random_state=random_state, stratify=strata
    )
    train_sets = [set(stems(r[0])) for r in train_rows]
    kept = []
    for row in test_rows:
        row_set = set(stems(row[0]))
        if not any(_near_duplicate(row_set, s) for s in train_sets):
            kept.append(row)
    dropped = len(test_rows) - len(kept)
    test_rows = kept

    started = time.perf_counter()
    clf = ReportClassifier.train(train_rows, random_state=random_state)
    train_seconds = time.perf_counter() - started

    texts = [r[0] for r in test_rows]
    clf.predict(texts[:1])  # warm-up, not timed
    started = time.perf_counter()
    analyses = clf._analyse(texts)
    suggestions = [clf._to_suggestion(a) for a in analyses]
    predict_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts[:50]:
        clf.predict([text])
    single_ms = (time.perf_counter() - started) / max(1, min(50, len(texts))) * 1000

    y_cat = [r[1] for r in test_rows]
    y_sub = [f"{r[1]}/{r[2]}" for r in test_rows]
    y_urg = [r[3] for r in test_rows]
    p_cat = [a.category for a in analyses]
    p_sub = [f"{a.category}/{a.subcategory}" for a in analyses]
    p_urg = [a.urgency for a in analyses]
    is_spoed = np.array([u == "spoed" for u in y_urg])
    said_spoed = np.array([u == "spoed" for u in p_urg])
    model_spoed = np.array([a.p_spoed >= max(clf.spoed_threshold, SPOED_AUTO_THRESHOLD) for a in analyses])
    flagged = np.array([u == "spoed" or a.possible_spoed for u, a in zip(p_urg, analyses, strict=True)])
    rule_spoed = np.array([a.rule_fired for a in analyses])
    auto = [not s.needs_human for s in suggestions]

    def _ratio(num: int, den: int) -> float:
        return round(num / den, 4) if den else 0.0

    n_auto = sum(auto)
    figures = {
        "n_train": len(train_rows),
        "n_test": len(test_rows),
        "n_test_dropped_near_duplicates": dropped,
        "n_test_spoed": int(is_spoed.sum()),
        "category_macro_f1": round(f1_score(y_cat, p_cat, average="macro"), 4),
        "subcategory_macro_f1": round(f1_score(y_sub, p_sub, average="macro"), 4),
        "urgency_macro_f1": round(f1_score(y_urg, p_urg, average="macro"), 4),
        "category_accuracy": round(float(np.mean(np.array(y_cat) == np.array(p_cat))), 4),
        "urgent_recall": _ratio(int((is_spoed & said_spoed).sum()), int(is_spoed.sum())),
        "urgent_precision": _ratio(int((is_spoed & said_spoed).sum()), int(said_spoed.sum())),
        "predicted_spoed_share": _ratio(int(said_spoed.sum()), len(said_spoed)),
        "urgent_recall_model_only": _ratio(int((is_spoed & model_spoed).sum()), int(is_spoed.sum())),
        "urgent_recall_rules_only": _ratio(int((is_spoed & rule_spoed).sum()), int(is_spoed.sum())),
        "spoed_threshold": round(clf.spoed_threshold, 4),
        "spoed_auto_threshold": SPOED_AUTO_THRESHOLD,
        "urgent_recall_with_review": _ratio(int((is_spoed & flagged).sum()), int(is_spoed.sum())),
        "urgent_missed_unflagged": int((is_spoed & ~flagged).sum()),
        "possible_spoed_share": _ratio(int((flagged & ~said_spoed).sum()), len(flagged)),
        "human_share": _ratio(len(auto) - n_auto, len(auto)),
        "auto_category_accuracy": _ratio(
            sum(1 for a, ok, y in zip(p_cat, auto, y_cat, strict=True) if ok and a == y), n_auto
        ),
        "auto_subcategory_accuracy": _ratio(
            sum(1 for a, ok, y in zip(p_sub, auto, y_sub, strict=True) if ok and a == y), n_auto
        ),
        "train_seconds": round(train_seconds, 3),
        "predict_ms_per_text_batch": round(predict_seconds / max(1, len(texts)) * 1000, 3),
        "predict_ms_per_text": round(single_ms, 3),
        "thresholds": {
            "category": CATEGORY_THRESHOLD,
            "subcategory": SUBCATEGORY_THRESHOLD,
            "urgency": URGENCY_THRESHOLD,
            "spoed_target_recall": SPOED_TARGET_RECALL,
        },
        "cpu_count": os.cpu_count(),
    }
    return figures, clf


_FIGURE_LABELS = (
    ("category_macro_f1", "macro-F1 hoofdcategorie"),
    ("subcategory_macro_f1", "macro-F1 subcategorie"),
    ("urgency_macro_f1", "macro-F1 urgentie"),
    ("urgent_recall", "recall spoed (model + vangnet)"),
    ("urgent_precision", "precisie spoed"),
    ("predicted_spoed_share", "aandeel als spoed voorgesteld"),
    ("urgent_recall_model_only", "recall spoed, alleen model"),
    ("urgent_recall_rules_only", "recall spoed, alleen vangnet"),
    ("human_share", "aandeel voor een mens (needs_human)"),
    ("auto_category_accuracy", "juistheid hoofdcategorie als er geen mens nodig is"),
    ("auto_subcategory_accuracy", "juistheid subcategorie als er geen mens nodig is"),
    ("urgent_recall_with_review", "recall spoed incl. 'mogelijk spoed' (mens kijkt eerst)"),
    ("possible_spoed_share", "aandeel 'mogelijk spoed'"),
    ("spoed_threshold", "getunede controledrempel P(spoed)"),
    ("spoed_auto_threshold", "drempel P(spoed) voor spoed"),
    ("train_seconds", "trainingstijd (s)"),
    ("predict_ms_per_text", "voorspeltijd per tekst, los (ms)"),
    ("predict_ms_per_text_batch", "voorspeltijd per tekst, in batch (ms)"),
    ("n_train", "trainingsteksten"),
    ("n_test", "testteksten"),
    ("n_test_spoed", "waarvan spoed"),
)


def figures_markdown(figures: dict) -> str:
    """The evaluation figures as a Markdown table (Dutch labels)."""
    lines = ["| meting | waarde |", "|---|---|"]
    for key, label in _FIGURE_LABELS:
        if key in figures:
            lines.append(f"| {label} | {figures[key]} |")
    return "\n".join(lines)
