"""Tests of the pure classifier module (no Django needed)."""

from __future__ import annotations

import json
import threading
import time
import unicodedata
from collections import Counter

import pytest

from wijkpunt.triage import classifier
from wijkpunt.triage import evaluation as evaluation_module
from wijkpunt.triage.classifier import (
    TAXONOMY,
    URGENCY_LEVELS,
    ReportClassifier,
    Suggestion,
    load_dataset,
    normalise,
)
from wijkpunt.triage.rules import find_urgent_trigger

# Texts written for this test only (not in the data set). Every one must come out as spoed.
UNSEEN_URGENT = [
    "Ik ruik een sterke gaslucht in het portiek bij de liften",
    "Er komt zwarte rook uit het raam van de woning onder mij",
    "De keuken van de buren staat in brand, ik hoor het knetteren",
    "Hij stond met een mes bij de lift en zei dat hij mij ging pakken",
    "Mijn ex-vriend bedreigt me via de intercom en wil naar binnen",
    "Ik heb mijn buurman al vijf dagen niet gezien, zijn post ligt nog in de bus",
    "De oude mevrouw van nummer 12 is al een week niet meer gezien en haar gordijnen blijven dicht",
    "Ik hoor iemand om hulp roepen in de kelder",
    "Het water stroomt uit de plafondlamp in de badkamer",
    "Er is kortsluiting in de meterkast en het ruikt naar verbrand plastic",
    "De cv is uitgevallen en het vriest al drie dagen, mijn baby heeft het ijskoud",
    "Iemand zit opgesloten in de lift van blok A en krijgt geen lucht",
    "Hij zei dat hij heus wel weet waar ik woon en dat ik moet oppassen",
    "De buurman heeft een pistool en schreeuwt op de galerij",
    "Mijn moeder doet niet open en neemt haar telefoon niet op sinds gisteren",
    "Er vallen stenen van de gevel op de stoep waar kinderen spelen",
    "Koolmonoxidemelder gaat af in de woonkamer en we zijn duizelig",
    "Buurvrouw zegt dat ze er een einde aan wil maken, ze staat op het balkon",
    "De jongens van de hoek hebben mijn zoon in elkaar geslagen",
    "Er spuit water uit een leiding in de kelder en de gang loopt vol",
    "vlammen uit de container naast de flat!!",
    "Het stinkt naar gas bij de voordeur van nummer 8",
]

MUNDANE = [
    "Er staat onkruid tussen de tegels van het plein bij de bankjes",
    "Kan er een extra prullenbak bij de bushalte komen?",
    "De plinten in de gang laten een beetje los",
    "Mag ik een plantenbak op mijn balkon hangen?",
]


# --- data set ---------------------------------------------------------------------------------
def test_dataset_integrity(dataset_rows):
    rows = dataset_rows
    assert len(rows) >= 600
    for text, category, subcategory, urgency in rows:
        assert text.strip()
        assert category in TAXONOMY
        assert subcategory in TAXONOMY[category]
        assert urgency in URGENCY_LEVELS
    per_sub = Counter((r[1], r[2]) for r in rows)
    for category, subs in TAXONOMY.items():
        for sub in subs:
            assert per_sub[(category, sub)] >= 15, (category, sub)
    assert set(Counter(r[3] for r in rows)) == set(URGENCY_LEVELS)
    texts = [r[0] for r in rows]
    assert len(texts) == len(set(texts)), "exact duplicate texts"
    assert len({normalise(t) for t in texts}) == len(texts), "duplicates after normalising"


def test_dataset_has_source_column():
    import csv

    with classifier.DEFAULT_DATASET_PATH.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["text", "category", "subcategory", "urgency", "source"]
        assert all(row["source"].strip() for row in reader)


def test_load_dataset_rejects_unknown_labels(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("text,category,subcategory,urgency,source\nhallo daar wereld,reparatie,dak,spoed,x\n")
    with pytest.raises(ValueError, match="unknown"):
        load_dataset(path)


# --- quality floors (figures on the held-out split) --------------------------------------------
def test_quality_floors(evaluation):
    figures, _ = evaluation
    assert figures["n_test"] >= 100
    assert figures["category_macro_f1"] >= 0.75
    assert figures["urgent_recall"] >= 0.9
    assert 0.0 <= figures["human_share"] <= 1.0


def test_evaluation_figures_are_written(evaluation):
    """Writes var/classifier/evaluation.json for docs/performance.md (figures only, no asserts on time)."""
    figures, _ = evaluation
    expected = {
        "category_macro_f1", "subcategory_macro_f1", "urgency_macro_f1", "urgent_recall", "urgent_precision",
        "human_share", "train_seconds", "predict_ms_per_text",
    }
    assert expected <= set(figures)
    out = classifier.REPO_ROOT / "var" / "classifier" / "evaluation.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    record = {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "source": "pytest triage suite", **figures}
    out.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert json.loads(out.read_text(encoding="utf-8"))["category_macro_f1"] == figures["category_macro_f1"]
    assert "| macro-F1 hoofdcategorie |" in evaluation_module.figures_markdown(figures)


# --- urgency safety ---------------------------------------------------------------------------
def test_unseen_urgent_texts_are_all_spoed(trained):
    suggestions = trained.predict(UNSEEN_URGENT)
    missed = [t for t, s in zip(UNSEEN_URGENT, suggestions, strict=True) if s.urgency != "spoed"]
    assert missed == []
    assert all(s.urgency_reason for s in suggestions)


def test_safety_net_records_the_keyword(trained):
    s = trained.predict(["Ik ruik gas in de keuken, wat moet ik doen?"])[0]
    assert s.urgency == "spoed"
    assert s.urgency_reason.startswith("trefwoord: gaslucht")
    assert s.urgency_confidence >= 0.99


@pytest.mark.parametrize(
    "text",
    [
        "het stinkt in de gang naar riool, het is geen gaslucht",
        "de kraan in de keuken druppelt een beetje",
        "de deur van de berging slaat steeds dicht",
        "bij brand kun je niet via de galerij naar buiten, er staan kasten",
        "het is koud in huis maar het vriest niet, de verwarming is traag",
    ],
)
def test_safety_net_ignores_negations_and_lookalikes(text):
    assert find_urgent_trigger(normalise(text)) is None


def test_mundane_texts_are_not_spoed(trained):
    assert all(s.urgency != "spoed" for s in trained.predict(MUNDANE))


def test_spoed_is_never_withheld(trained):
    """A spoed suggestion stays spoed even when the model is unsure (then a human also checks it)."""
    for s in trained.predict(UNSEEN_URGENT):
        assert s.urgency == "spoed"
        if s.urgency_confidence < classifier.URGENCY_THRESHOLD:
            assert s.needs_human


# --- consistency and thresholds ----------------------------------------------------------------
def test_subcategory_always_belongs_to_category(trained, dataset_rows):
    texts = [r[0] for r in dataset_rows[::3]]
    for analysis in trained._analyse(texts):
        assert analysis.subcategory in TAXONOMY[analysis.category]
    for s in trained.predict(texts):
        if s.subcategory is not None:
            assert s.category is not None
            assert s.subcategory in TAXONOMY[s.category]
        if s.category is None or s.subcategory is None or s.urgency is None:
            assert s.needs_human


def test_thresholds_are_applied(trained, dataset_rows):
    for s in trained.predict([r[0] for r in dataset_rows[::5]]):
        if s.category is not None:
            assert s.category_confidence >= classifier.CATEGORY_THRESHOLD
        if s.subcategory is not None:
            assert s.subcategory_confidence >= classifier.SUBCATEGORY_THRESHOLD
        if not s.needs_human:
            assert s.category_confidence >= classifier.CATEGORY_THRESHOLD
            assert s.urgency_confidence >= classifier.URGENCY_THRESHOLD
        for value in (s.category_confidence, s.subcategory_confidence, s.urgency_confidence):
            assert 0.0 <= value <= 1.0


def test_clear_texts_get_a_confident_suggestion(trained):
    s = trained.predict(["Het toilet is verstopt en loopt niet meer door, we hebben maar één wc"])[0]
    assert s.category == "reparatie"
    assert s.subcategory == "sanitair"


@pytest.mark.parametrize("text", ["", "   ", "hallo", "lekkage graag", "asdfgh qwerty zxcvb", "123 456 789"])
def test_short_or_garbage_input_needs_a_human(trained, text):
    s = trained.predict([text])[0]
    assert s.needs_human
    assert s.category is None and s.subcategory is None and s.urgency is None
    assert s.category_confidence == 0.0


def test_short_input_with_a_trigger_is_still_spoed(trained):
    s = trained.predict(["gaslucht!!"])[0]
    assert s.needs_human and s.category is None
    assert s.urgency == "spoed"
    assert "gaslucht" in s.urgency_reason


def test_accents_and_case_do_not_matter(trained):
    a, b = trained.predict(["Mijn buurvrouw heeft financiële zorgen en huurachterstand",
                            "MIJN BUURVROUW HEEFT FINANCIELE ZORGEN EN HUURACHTERSTAND"])
    assert (a.category, a.subcategory, a.urgency) == (b.category, b.subcategory, b.urgency)
    assert normalise("Financiële  Zorgen") == "financiele zorgen"
    assert unicodedata.is_normalized("NFC", normalise("café"))


def test_as_dict_has_the_public_fields(trained):
    d = trained.predict(["Er zit schimmel op de muur van de slaapkamer"])[0].as_dict()
    assert list(d) == [
        "category", "subcategory", "urgency", "category_confidence", "subcategory_confidence",
        "urgency_confidence", "needs_human", "urgency_reason", "possible_spoed",
    ]


def test_review_band_flags_possible_spoed_without_paging(trained):
    """Between the high-recall threshold and the spoed threshold a report is 'mogelijk spoed':
    not spoed (nobody is paged on it) but always left for a human to look at first."""
    from wijkpunt.triage.classifier import SPOED_AUTO_THRESHOLD

    analyses = trained._analyse([r[0] for r in load_dataset()[:400]])
    band = [a for a in analyses if not a.rule_fired and trained.spoed_threshold <= a.p_spoed < SPOED_AUTO_THRESHOLD]
    assert band, "the data set should produce some texts in the review band"
    for a in band:
        s = trained._to_suggestion(a)
        assert s.possible_spoed and s.needs_human and s.urgency != "spoed"
        assert s.urgency_reason.startswith("mogelijk spoed")


# --- persistence and the process-wide classifier ------------------------------------------------
def test_save_load_round_trip(trained, dataset_rows, tmp_path):
    path = trained.save(tmp_path / "sub" / "model.joblib")
    loaded = ReportClassifier.load(path)
    texts = [r[0] for r in dataset_rows[::7]] + UNSEEN_URGENT + ["kort"]
    assert loaded.predict(texts) == trained.predict(texts)
    assert loaded.spoed_threshold == trained.spoed_threshold


def test_load_rejects_other_files(tmp_path):
    import joblib

    path = tmp_path / "other.joblib"
    joblib.dump({"model": "nope"}, path)
    with pytest.raises(ValueError):
        ReportClassifier.load(path)


def test_get_classifier_is_cached_and_thread_safe(trained, tmp_path, monkeypatch):
    path = trained.save(tmp_path / "model.joblib")
    monkeypatch.setattr(classifier, "_configured_model_path", lambda: path)
    classifier.reset_classifier_cache()
    results = []
    threads = [threading.Thread(target=lambda: results.append(classifier.get_classifier())) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 6
    assert all(r is results[0] for r in results)
    s = classifier.suggest("Er komt water door het plafond en het stroomt naar beneden")
    assert isinstance(s, Suggestion)
    assert s.urgency == "spoed"
    assert classifier.suggest("hoi") == Suggestion(None, None, None, 0.0, 0.0, 0.0, True, "")
    classifier.reset_classifier_cache()


def test_get_classifier_trains_when_the_model_file_is_missing(small_dataset_csv, tmp_path, monkeypatch):
    path = tmp_path / "missing" / "model.joblib"
    small = load_dataset(small_dataset_csv)
    monkeypatch.setattr(classifier, "_configured_model_path", lambda: path)
    monkeypatch.setattr(classifier, "load_dataset", lambda path=None: small)
    classifier.reset_classifier_cache()
    clf = classifier.get_classifier()
    assert path.exists()
    assert clf.metadata["n_rows"] == len(small)
    classifier.reset_classifier_cache()


def test_train_rejects_unknown_labels():
    with pytest.raises(ValueError):
        ReportClassifier.train([("een twee drie", "reparatie", "dak", "spoed")])
