"""Fixtures for the triage tests.

The classifier tests must also run without Django (``pytest src/wijkpunt/triage/tests -p no:django``).
The repository's root conftest asks for pytest-django's ``settings`` fixture; when that plugin is
switched off, a stand-in ``settings`` fixture (a plain namespace) is registered so those tests still
run. With pytest-django active nothing is replaced.
"""

from __future__ import annotations

import csv
import types
from collections import defaultdict

import pytest

from wijkpunt.triage import classifier
from wijkpunt.triage import evaluation as evaluation_module


class _NoDjangoFallback:
    @pytest.fixture
    def settings(self):
        return types.SimpleNamespace()


def pytest_configure(config):
    if not config.pluginmanager.hasplugin("django") and not config.pluginmanager.hasplugin("triage-no-django"):
        config.pluginmanager.register(_NoDjangoFallback(), "triage-no-django")


@pytest.fixture(scope="session")
def dataset_rows():
    return classifier.load_dataset()


@pytest.fixture(scope="session")
def evaluation(dataset_rows):
    """Figures on the held-out 20 % and the classifier trained on the other 80 % (trained once)."""
    return evaluation_module.evaluate_with_model(dataset_rows, test_size=0.2, random_state=0)


@pytest.fixture(scope="session")
def trained(evaluation):
    return evaluation[1]


@pytest.fixture(scope="session")
def small_dataset_csv(tmp_path_factory):
    """A small but complete copy of the data set (8 rows per subcategory) for quick command runs."""
    path = tmp_path_factory.mktemp("triage") / "small.csv"
    with classifier.DEFAULT_DATASET_PATH.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fieldnames = reader.fieldnames
        per_sub: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for row in reader:
            key = (row["category"], row["subcategory"])
            if len(per_sub[key]) < 8:
                per_sub[key].append(row)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fieldnames)
        writer.writeheader()
        for rows in per_sub.values():
            writer.writerows(rows)
    return path
