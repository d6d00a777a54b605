"""Management commands: train_classifier, classify_reports, evaluate_classifier.

Runs under pytest-django with the project settings. When pytest-django is switched off
(``-p no:django``) a minimal settings object with only this app is configured instead.
"""

from __future__ import annotations

import io
import json

import pytest

from wijkpunt.triage import classifier


@pytest.fixture
def command_env(request, tmp_path, trained):
    """Django ready for call_command, with WIJKPUNT_CLASSIFIER_PATH pointing at a trained model."""
    model_path = trained.save(tmp_path / "model.joblib")
    if request.config.pluginmanager.hasplugin("django"):
        settings = request.getfixturevalue("settings")
        settings.WIJKPUNT_CLASSIFIER_PATH = model_path
    else:
        import django
        from django.conf import settings

        if not settings.configured:
            settings.configure(INSTALLED_APPS=["wijkpunt.triage"], USE_I18N=True)
            django.setup()
        settings.WIJKPUNT_CLASSIFIER_PATH = model_path
    classifier.reset_classifier_cache()
    yield model_path
    classifier.reset_classifier_cache()


def _call(name, *args, stdin=None):
    from django.core.management import call_command

    out = io.StringIO()
    kwargs = {"stdout": out}
    if stdin is not None:
        kwargs["stdin"] = io.StringIO(stdin)
    call_command(name, *args, **kwargs)
    return out.getvalue()


def test_classify_reports_prints_one_json_line_per_text(command_env):
    stdin = "Ik ruik gas in het trappenhuis bij de meterkast\n\n   \nDe buurvrouw heeft financiële zorgen, ze kan de huur niet betalen\nhoi\n"
    lines = _call("classify_reports", stdin=stdin).strip().splitlines()
    assert len(lines) == 3
    records = [json.loads(line) for line in lines]
    keys = [
        "text", "category", "subcategory", "urgency", "category_confidence", "subcategory_confidence",
        "urgency_confidence", "needs_human", "urgency_reason", "possible_spoed",
    ]
    assert all(list(r) == keys for r in records)
    gas, money, short = records
    assert gas["urgency"] == "spoed" and gas["urgency_reason"].startswith("trefwoord: gaslucht")
    assert "financiële" in lines[1]  # ensure_ascii=False
    assert money["text"].startswith("De buurvrouw")
    for r in records:
        for key in ("category_confidence", "subcategory_confidence", "urgency_confidence"):
            assert r[key] == round(r[key], 3)
    assert short["needs_human"] is True and short["category"] is None


def test_classify_reports_with_explicit_model(command_env):
    out = _call("classify_reports", "--model", str(command_env), stdin="Er zit schimmel op de muur van de slaapkamer\n")
    assert json.loads(out)["category"] in {"reparatie", None}


def test_train_classifier_saves_a_model_and_prints_figures(command_env, small_dataset_csv, tmp_path):
    output = tmp_path / "out" / "model.joblib"
    out = _call("train_classifier", "--data", str(small_dataset_csv), "--output", str(output))
    assert output.exists()
    model = classifier.ReportClassifier.load(output)
    assert model.metadata["n_rows"] == len(classifier.load_dataset(small_dataset_csv))
    figures = json.loads(out[out.index("{"):])
    assert {"category_macro_f1", "urgent_recall", "human_share"} <= set(figures)


def test_evaluate_classifier_prints_json_and_markdown(command_env, small_dataset_csv, tmp_path):
    target = tmp_path / "figures.json"
    out = _call("evaluate_classifier", "--data", str(small_dataset_csv), "--markdown", "--output", str(target))
    json_part, markdown = out.split("\n\n", 1)
    figures = json.loads(json_part)
    assert figures == json.loads(target.read_text(encoding="utf-8"))
    assert "| macro-F1 hoofdcategorie |" in markdown
