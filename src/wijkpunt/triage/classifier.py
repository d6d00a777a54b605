"""Report classifier: suggests category, subcategory and urgency for a Dutch report text.

Pure Python + scikit-learn; Django is imported lazily (only in :func:`get_classifier`), so the
module can be trained, evaluated and tested without settings. See ``docs/classifier.md``.

Pipeline
--------
1. :func:`normalise`: lower case, accents stripped (``financiële`` -> ``financiele``), whitespace
   collapsed.
2. Features (one shared :class:`~sklearn.pipeline.FeatureUnion`): TF-IDF over Snowball-Dutch word
   stems (unigrams + bigrams) plus TF-IDF over character n-grams (3-5, ``char_wb``) of the
   normalised text; the character part copes with typos, WhatsApp spelling and compounds
   (``gaslucht``, ``gas lucht``).
3. Three linear SVMs (``LinearSVC``, ``class_weight="balanced"``) with sigmoid-calibrated
   probabilities (``CalibratedClassifierCV``, 3 folds), all on the same features:
   main category, ``category/subcategory`` (34 classes) and urgency.
4. Category = argmax of the average of the category model and the subcategory model summed per
   category; the subcategory is the best one *inside* that category, so the pair is always
   consistent.
5. Urgency: ``spoed`` when the rule-based safety net (:mod:`wijkpunt.triage.rules`) fires, or when
   P(spoed) >= ``spoed_threshold`` (tuned on out-of-fold predictions of the training rows so that
   at least :data:`SPOED_TARGET_RECALL` of the urgent training reports would be caught); otherwise
   the most probable of hoog / normaal / laag.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import math
import os
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import snowballstemmer
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from .rules import find_urgent_trigger

__all__ = [
    "CATEGORY_THRESHOLD",
    "MIN_WORDS",
    "SPOED_TARGET_RECALL",
    "SUBCATEGORY_THRESHOLD",
    "TAXONOMY",
    "URGENCY_LEVELS",
    "URGENCY_THRESHOLD",
    "ReportClassifier",
    "Suggestion",
    "get_classifier",
    "load_dataset",
    "normalise",
    "reset_classifier_cache",
    "suggest",
]

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DATASET_PATH = REPO_ROOT / "data" / "classifier" / "meldingen.csv"
DEFAULT_MODEL_PATH = REPO_ROOT / "var" / "classifier" / "model.joblib"

# --- thresholds (documented in docs/classifier.md) ------------------------------------------
#: Below this probability the main category is left empty (``None``) and a human decides.
CATEGORY_THRESHOLD = 0.5
#: Below this probability of the chosen ``category/subcategory`` the subcategory is left empty.
SUBCATEGORY_THRESHOLD = 0.3
#: Below this probability the urgency (other than spoed) is left empty and a human decides.
URGENCY_THRESHOLD = 0.45
#: Share of the urgent training reports that the tuned P(spoed) threshold must catch.
SPOED_TARGET_RECALL = 0.95
#: The tuned P(spoed) threshold is kept within these bounds.
SPOED_THRESHOLD_BOUNDS = (0.05, 0.5)
#: Two tiers. P(spoed) at or above this (or a safety-net rule) makes the suggestion ``spoed``;
#: between the tuned high-recall threshold and this one the report is flagged ``possible_spoed``
#: (a human looks first, with priority) instead of paging someone. Chosen from a sweep over three
#: held-out splits (docs/classifier.md): at 0.35 recall 0.97 with precision 0.63, against recall
#: 0.99 with precision 0.36 for spoed-at-the-tuned-threshold.
SPOED_AUTO_THRESHOLD = 0.35
#: Texts with fewer words are not classified (only the safety net runs).
MIN_WORDS = 3
#: Regularisation of the three linear SVMs (larger = less regularised).
CATEGORY_C = 0.5
SUBCATEGORY_C = 0.5
URGENCY_C = 0.5
#: Bump when the stored model format changes; older files are retrained.
MODEL_FORMAT = 2

URGENCY_LEVELS: tuple[str, ...] = ("spoed", "hoog", "normaal", "laag")
TAXONOMY: dict[str, tuple[str, ...]] = {
    "reparatie": (
        "lekkage", "verwarming", "elektra", "sanitair", "deuren-ramen-sloten", "schimmel-vocht", "lift",
        "overig-reparatie",
    ),
    "veiligheid": ("brandgevaar", "gaslucht", "verlichting", "inbraak-vandalisme", "losse-bouwdelen"),
    "overlast": ("geluid", "stank", "agressie-intimidatie", "drugs", "huisdieren", "jongeren"),
    "woonomgeving": ("zwerfvuil-grofvuil", "groen-onkruid", "graffiti", "wrakken", "ongedierte"),
    "zorgsignaal": ("eenzaamheid", "verwaarlozing-vervuiling", "verward-gedrag", "niet-gezien", "financiele-zorgen"),
    "huisregels": ("spullen-gemeenschappelijk", "onderhuur-woonfraude", "afval", "overig-huisregels"),
}

Row = tuple[str, str, str, str]


# --- text preprocessing --------------------------------------------------------------------
_TOKEN = re.compile(r"[a-z0-9]+")
_SPACES = re.compile(r"\s+")
_local = threading.local()


def normalise(text: str) -> str:
    """Lower case, accents stripped, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", str(text).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text).strip()


def _stemmer() -> snowballstemmer.stemmer:
    # Snowball stemmer objects keep state: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("dutch")
    return stemmer


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def stems(text: str) -> list[str]:
    """Snowball-Dutch stems of the word tokens of a (raw or normalised) text."""
    return [_stem(w) for w in _TOKEN.findall(normalise(text))]


def word_ngrams(text: str) -> list[str]:
    """Analyzer for the word TF-IDF: stem unigrams and bigrams (module level so it pickles)."""
    tokens = stems(text)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            ("words", TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True, min_df=1)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(3, 5), preprocessor=normalise, sublinear_tf=True,
                    min_df=2, max_features=40000,
                ),
            ),
        ]
    )


def _linear_model(c: float, random_state: int) -> CalibratedClassifierCV:
    """Linear SVM (class weights balanced) with sigmoid-calibrated probabilities (3-fold)."""
    svm = LinearSVC(C=c, class_weight="balanced", random_state=random_state)
    return CalibratedClassifierCV(svm, method="sigmoid", cv=3, ensemble=False)


# --- result type -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Suggestion:
    category: str | None  # main slug, None when confidence below threshold
    subcategory: str | None
    urgency: str | None
    category_confidence: float
    subcategory_confidence: float
    urgency_confidence: float
    needs_human: bool  # True if any of the three is below its confidence threshold
    urgency_reason: str = ""  # e.g. 'trefwoord: gaslucht ("ruik gas")' when the safety net fired
    possible_spoed: bool = False  # P(spoed) in the review band: a human should look first, quickly

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Analysis:
    """Everything the models say about one text, before thresholds (used by evaluate)."""

    category: str
    subcategory: str  # slug inside ``category``
    urgency: str
    category_confidence: float
    subcategory_confidence: float
    urgency_confidence: float
    urgency_reason: str
    rule_fired: bool
    too_short: bool
    p_spoed: float
    possible_spoed: bool = False


# --- the classifier --------------------------------------------------------------------------
@dataclass
class ReportClassifier:
    features: FeatureUnion
    category_model: CalibratedClassifierCV
    subcategory_model: CalibratedClassifierCV
    urgency_model: CalibratedClassifierCV
    spoed_threshold: float
    metadata: dict = field(default_factory=dict)

    # -- training --
    @classmethod
    def train(cls, rows: Sequence[Row], *, random_state: int = 0) -> ReportClassifier:
        """Train the three models on ``(text, category, subcategory, urgency)`` rows."""
        rows = [tuple(r[:4]) for r in rows]
        if not rows:
            raise ValueError("no training rows")
        _check_labels(rows)
        started = time.perf_counter()
        texts = [r[0] for r in rows]
        categories = np.array([r[1] for r in rows])
        subcategories = np.array([f"{r[1]}/{r[2]}" for r in rows])
        urgencies = np.array([r[3] for r in rows])

        features = _features()
        x = features.fit_transform(texts)
        category_model = _linear_model(CATEGORY_C, random_state).fit(x, categories)
        subcategory_model = _linear_model(SUBCATEGORY_C, random_state).fit(x, subcategories)
        urgency_model = _linear_model(URGENCY_C, random_state).fit(x, urgencies)
        spoed_threshold = _tune_spoed_threshold(x, urgencies, random_state=random_state)
        metadata = {
            "format": MODEL_FORMAT,
            "sklearn_version": _sklearn_version(),
            "n_rows": len(rows),
            "rows_sha256": hashlib.sha256("\n".join("\t".join(r) for r in rows).encode()).hexdigest(),
            "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "train_seconds": round(time.perf_counter() - started, 3),
        }
        return cls(features, category_model, subcategory_model, urgency_model, spoed_threshold, metadata)

    # -- prediction --
    def predict(self, texts: Sequence[str]) -> list[Suggestion]:
        """One :class:`Suggestion` per text, thresholds applied."""
        return [self._to_suggestion(a) for a in self._analyse(texts)]

    def _to_suggestion(self, a: _Analysis) -> Suggestion:
        if a.too_short:
            return Suggestion(
                category=None, subcategory=None, urgency="spoed" if a.rule_fired else None,
                category_confidence=0.0, subcategory_confidence=0.0,
                urgency_confidence=a.urgency_confidence if a.rule_fired else 0.0,
                needs_human=True, urgency_reason=a.urgency_reason,
            )
        category_ok = a.category_confidence >= CATEGORY_THRESHOLD
        subcategory_ok = category_ok and a.subcategory_confidence >= SUBCATEGORY_THRESHOLD
        urgency_ok = a.urgency_confidence >= URGENCY_THRESHOLD
        # A spoed suggestion is never withheld: when unsure, it is still spoed but flagged for a human.
        urgency = a.urgency if (urgency_ok or a.urgency == "spoed") else None
        return Suggestion(
            category=a.category if category_ok else None,
            subcategory=a.subcategory if subcategory_ok else None,
            urgency=urgency,
            category_confidence=round(a.category_confidence, 4),
            subcategory_confidence=round(a.subcategory_confidence, 4),
            urgency_confidence=round(a.urgency_confidence, 4),
            needs_human=not (category_ok and subcategory_ok and urgency_ok) or a.possible_spoed,
            urgency_reason=a.urgency_reason,
            possible_spoed=a.possible_spoed,
        )

    def _analyse(self, texts: Sequence[str]) -> list[_Analysis]:
        texts = [str(t or "") for t in texts]
        if not texts:
            return []
        x = self.features.transform(texts)
        p_cat = self.category_model.predict_proba(x)
        p_sub = self.subcategory_model.predict_proba(x)
        p_urg = self.urgency_model.predict_proba(x)
        cat_classes = list(self.category_model.classes_)
        sub_classes = list(self.subcategory_model.classes_)
        urg_classes = list(self.urgency_model.classes_)
        sub_parent = np.array([s.split("/", 1)[0] for s in sub_classes])
        # P(category) from the subcategory model: sum over the subcategories of each category.
        sub_to_cat = np.array([[1.0 if parent == c else 0.0 for c in cat_classes] for parent in sub_parent])
        p_cat_combined = 0.5 * p_cat + 0.5 * (p_sub @ sub_to_cat)
        spoed_idx = urg_classes.index("spoed")
        word_vocab = self.features.transformer_list[0][1].vocabulary_

        out = []
        for i, text in enumerate(texts):
            norm = normalise(text)
            trigger = find_urgent_trigger(norm)
            n_words = len(_TOKEN.findall(norm))
            known = sum(1 for s in stems(norm) if s in word_vocab)
            too_short = n_words < MIN_WORDS or known == 0

            ci = int(np.argmax(p_cat_combined[i]))
            category = cat_classes[ci]
            in_cat = np.flatnonzero(sub_parent == category)
            si = int(in_cat[np.argmax(p_sub[i, in_cat])])
            subcategory = sub_classes[si].split("/", 1)[1]
            # Confidence of the pair: P(category) x P(subcategory | category), within the sub model.
            sub_mass = float(p_sub[i, in_cat].sum())
            sub_conf = float(p_cat_combined[i, ci]) * (float(p_sub[i, si]) / sub_mass if sub_mass else 0.0)

            p_spoed = float(p_urg[i, spoed_idx])
            reason = ""
            possible = False
            if trigger is not None:
                urgency, urg_conf, reason = "spoed", max(p_spoed, 0.99), trigger.reason
            elif p_spoed >= max(self.spoed_threshold, SPOED_AUTO_THRESHOLD):
                urgency, urg_conf = "spoed", p_spoed
                reason = f"model: kans op spoed {p_spoed:.2f} >= drempel {SPOED_AUTO_THRESHOLD:.2f}"
            else:
                others = [j for j in range(len(urg_classes)) if j != spoed_idx]
                j = max(others, key=lambda k: p_urg[i, k])
                urgency, urg_conf = urg_classes[j], float(p_urg[i, j])
                if p_spoed >= self.spoed_threshold:
                    possible = True
                    reason = f"mogelijk spoed: kans {p_spoed:.2f} >= controledrempel {self.spoed_threshold:.2f}"
            out.append(
                _Analysis(
                    category=category,
                    subcategory=subcategory,
                    urgency=urgency,
                    category_confidence=float(p_cat_combined[i, ci]),
                    subcategory_confidence=sub_conf,
                    urgency_confidence=urg_conf,
                    urgency_reason=reason,
                    rule_fired=trigger is not None,
                    too_short=too_short,
                    p_spoed=p_spoed,
                    possible_spoed=possible,
                )
            )
        return out

    # -- persistence --
    def save(self, path: str | os.PathLike) -> Path:
        """Write the model atomically (temp file + rename) with joblib."""
        import joblib

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        joblib.dump({"format": MODEL_FORMAT, "sklearn_version": _sklearn_version(), "model": self}, tmp)
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> ReportClassifier:
        """Load a model written by :meth:`save`. Only load files you wrote yourself (pickle)."""
        import joblib

        payload = joblib.load(Path(path))
        if not isinstance(payload, dict) or not isinstance(payload.get("model"), cls):
            raise ValueError(f"{path} is not a Wijkpunt report classifier")
        if payload.get("format") != MODEL_FORMAT:
            raise ValueError(f"{path} has model format {payload.get('format')}, expected {MODEL_FORMAT}")
        return payload["model"]


def _sklearn_version() -> str:
    import sklearn

    return sklearn.__version__


def _check_labels(rows: Iterable[Row]) -> None:
    for text, category, subcategory, urgency in rows:
        if category not in TAXONOMY or subcategory not in TAXONOMY[category]:
            raise ValueError(f"unknown category/subcategory {category}/{subcategory!r} for {text[:40]!r}")
        if urgency not in URGENCY_LEVELS:
            raise ValueError(f"unknown urgency {urgency!r} for {text[:40]!r}")


def _tune_spoed_threshold(x, urgencies: np.ndarray, *, random_state: int) -> float:
    """Largest P(spoed) threshold at which the *model alone* still catches SPOED_TARGET_RECALL of
    the urgent training reports.

    Measured on out-of-fold probabilities (5 folds: every report is scored by a model that did not
    see it). The safety net is deliberately left out of the tuning: its rules were written with
    the training texts in view, so their recall there is optimistic. The TF-IDF vocabulary is fitted
    once on all training texts (that step uses no labels)."""
    is_spoed = urgencies == "spoed"
    n_spoed = int(is_spoed.sum())
    n_splits = min(5, n_spoed, int(min(np.unique(urgencies, return_counts=True)[1])))
    low, high = SPOED_THRESHOLD_BOUNDS
    if n_splits < 2:
        return low
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    model = _linear_model(URGENCY_C, random_state)
    proba = cross_val_predict(model, x, urgencies, cv=folds, method="predict_proba")
    scores = np.sort(proba[is_spoed, list(np.unique(urgencies)).index("spoed")])[::-1]
    k = max(1, math.ceil(SPOED_TARGET_RECALL * n_spoed))
    return float(min(max(float(scores[k - 1]), low), high))


# --- data set --------------------------------------------------------------------------------
def load_dataset(path: str | os.PathLike | None = None) -> list[Row]:
    """Rows ``(text, category, subcategory, urgency)`` of the labelled CSV (default: the committed set)."""
    path = Path(path) if path is not None else DEFAULT_DATASET_PATH
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"text", "category", "subcategory", "urgency"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        rows = [
            (r["text"].strip(), r["category"].strip(), r["subcategory"].strip(), r["urgency"].strip())
            for r in reader
            if (r.get("text") or "").strip()
        ]
    _check_labels(rows)
    return rows


# --- evaluation ------------------------------------------------------------------------------
# --- process-wide cached classifier ----------------------------------------------------------
_LOCK = threading.Lock()
_CACHE: dict[str, ReportClassifier] = {}


def _configured_model_path() -> Path:
    """settings.WIJKPUNT_CLASSIFIER_PATH when Django settings are available, else the default."""
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
    except ImportError:  # pragma: no cover - Django is a project dependency
        return DEFAULT_MODEL_PATH
    if not (settings.configured or os.environ.get("DJANGO_SETTINGS_MODULE")):
        return DEFAULT_MODEL_PATH
    try:
        configured = getattr(settings, "WIJKPUNT_CLASSIFIER_PATH", None)
    except ImproperlyConfigured:
        return DEFAULT_MODEL_PATH
    return Path(configured) if configured else DEFAULT_MODEL_PATH


def get_classifier() -> ReportClassifier:
    """The process-wide classifier; loaded once, trained from the committed data set if missing."""
    path = _configured_model_path()
    key = str(path)
    clf = _CACHE.get(key)
    if clf is not None:
        return clf
    with _LOCK:
        clf = _CACHE.get(key)
        if clf is None:
            clf = _load_or_train(path)
            _CACHE[key] = clf
    return clf


def _load_or_train(path: Path) -> ReportClassifier:
    if path.exists():
        try:
            clf = ReportClassifier.load(path)
            if clf.metadata.get("sklearn_version") == _sklearn_version():
                return clf
        except Exception:  # noqa: BLE001 - an unreadable or foreign file is replaced by a fresh model
            logger.warning("classifier model %s unreadable; retraining from the data set", path, exc_info=True)
    clf = ReportClassifier.train(load_dataset())
    clf.save(path)
    return clf


def reset_classifier_cache() -> None:
    """Forget the cached classifier(s), e.g. after retraining or in tests."""
    with _LOCK:
        _CACHE.clear()


def suggest(text: str) -> Suggestion:
    """Suggestion for one text; fewer than MIN_WORDS words gives ``needs_human`` and empty fields
    (except that the safety net can still mark it spoed, e.g. "gaslucht!!")."""
    return get_classifier().predict([text])[0]
