"""Exchange with the municipality: signals out (CSV or JSON shaped like the VNG DDAS
"Vroegsignaal" + "Client" message), status answers back in (CSV, all or nothing).

The formats are documented in ``docs/arrears.md`` ("Uitwisseling met de gemeente"). No BSN.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from wijkpunt.housing.import_parsing import read_csv
from wijkpunt.housing.import_records import DATE_RE, ImportFailed, ImportLineError

from .models import Signal, SignalStatus, StepKind
from .services import record_municipality_answer

FORMAT_VERSION = "wijkpunt-vroegsignaal/1"
# DDAS EnumContactsoort for the landlord's own contact attempts (VERA COMMUNICATIEKANAAL → DDAS).
CONTACT_KIND = {"TEL": "Telefoon", "BEZ": "Huisbezoek", "EMA": "Mail", "BRI": "Brief", "SMS": "SMS/Whatsapp",
                "APP": "SMS/Whatsapp", "BAL": "Overige", "INT": "Overige"}
DAYPART = {"OCH": "Ochtend", "MID": "Middag", "AVO": "Avond"}
CSV_COLUMNS = (
    "signaal_id", "signaaldatum", "ontstaansdatum", "bedrag", "crisissignaal", "warme_overdracht", "status",
    "gemeentecode", "gemeente", "voorletters", "voorvoegsel", "achternaam", "geboortedatum", "straatnaam",
    "huisnummer", "huisnummertoevoeging", "postcode", "plaatsnaam", "telefoonnummer", "email",
    "contractnummer", "contactpogingen",
)
ANSWER_COLUMNS = ("signaal_id", "status", "datum")
ANSWER_LABEL = "terugkoppeling"
STATUS_LOOKUP = {
    **{value: value for value in SignalStatus.values},
    **{str(label).lower(): value for value, label in SignalStatus.choices},
}


def _amount(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _attempts(signal: Signal) -> list[dict]:
    return [
        {"soort": CONTACT_KIND.get(step.channel, "Overige"), "bereikt": bool(step.reached),
         "datum": step.occurred_on.isoformat(), "dagdeel": DAYPART.get(step.daypart)}
        for step in signal.episode.steps.all()
        if step.kind == StepKind.CONTACT_ATTEMPT and step.occurred_on <= signal.signal_date
    ]


def signal_record(signal: Signal) -> dict:
    client = signal.client
    return {
        "signaalId": str(signal.public_id),
        "signaalpartner": {"type": "Huur"},
        "gemeente": {"code": signal.municipality.code, "naam": signal.municipality.name},
        "vroegsignaal": {
            "bedrag": _amount(signal.amount_cents), "ontstaansdatum": signal.arose_on.isoformat(),
            "signaaldatum": signal.signal_date.isoformat(), "status": signal.status,
            "crisissignaal": signal.crisis, "warmeOverdracht": signal.warm_handover,
        },
        "client": {key: client.get(key) for key in (
            "voorletters", "voorvoegsel", "achternaam", "geboortedatum", "straatnaam", "huisnummer",
            "huisnummertoevoeging", "postcode", "plaatsnaam", "telefoonnummer", "email")},
        "huurovereenkomst": signal.episode.tenancy.contract_number,
        "contactpogingen": _attempts(signal),
    }


def export_json(signals: Iterable[Signal], *, sender: str) -> bytes:
    document = {
        "formaat": FORMAT_VERSION,
        "aanleverendeOrganisatie": {"naam": sender},
        "aangemaakt": timezone.now().isoformat(timespec="seconds"),
        "vroegsignalen": [signal_record(signal) for signal in signals],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def export_csv(signals: Iterable[Signal]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for signal in signals:
        record = signal_record(signal)
        client, vs = record["client"], record["vroegsignaal"]
        attempts = ", ".join(
            f"{a['datum']} {a['soort']} {'bereikt' if a['bereikt'] else 'niet bereikt'}" for a in record["contactpogingen"]
        )
        writer.writerow([
            record["signaalId"], vs["signaaldatum"], vs["ontstaansdatum"], vs["bedrag"],
            "ja" if vs["crisissignaal"] else "nee", "ja" if vs["warmeOverdracht"] else "nee", vs["status"],
            record["gemeente"]["code"], record["gemeente"]["naam"],
            *(client[key] or "" for key in (
                "voorletters", "voorvoegsel", "achternaam", "geboortedatum", "straatnaam", "huisnummer",
                "huisnummertoevoeging", "postcode", "plaatsnaam", "telefoonnummer", "email")),
            record["huurovereenkomst"], attempts,
        ])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def mark_exported(signals: Iterable[Signal]) -> None:
    ids = [signal.pk for signal in signals]
    Signal.objects.filter(pk__in=ids, exported_at__isnull=True).update(exported_at=timezone.now())


@dataclass(frozen=True)
class AnswerImportResult:
    updated: int
    unchanged: int


def import_answers(source, *, corporation_ids: frozenset[int], user) -> AnswerImportResult:
    """The municipality's status answers (``signaal_id;status;datum``); all lines valid or nothing applied."""
    import datetime as dt

    rows, errors = read_csv(source, label=ANSWER_LABEL, columns=ANSWER_COLUMNS, optional=frozenset())
    parsed: list[tuple[int, str, str, dt.date]] = []
    seen: dict[str, int] = {}
    for line, values in rows:
        if values.get("__broken__"):
            continue
        raw_id, raw_status, raw_date = values["signaal_id"], values["status"].strip(), values["datum"]
        try:
            signal_id = str(uuid.UUID(raw_id))
        except ValueError:
            errors.append(ImportLineError(line, "signaal_id", f"'{raw_id}' is geen geldig signaal-id.", ANSWER_LABEL))
            signal_id = ""
        status = STATUS_LOOKUP.get(raw_status) or STATUS_LOOKUP.get(raw_status.lower())
        if not status:
            errors.append(ImportLineError(line, "status", f"Onbekende status '{raw_status}'. Gebruik een code uit "
                                                          "docs/arrears.md, bijvoorbeeld 'opgepakt'.", ANSWER_LABEL))
        answered = None
        try:
            if not DATE_RE.match(raw_date):
                raise ValueError
            answered = dt.date.fromisoformat(raw_date)
        except ValueError:
            errors.append(ImportLineError(line, "datum", f"'{raw_date}' is geen geldige datum; gebruik JJJJ-MM-DD.",
                                          ANSWER_LABEL))
        if signal_id and signal_id in seen:
            errors.append(ImportLineError(line, "signaal_id", f"Dit signaal staat ook op regel {seen[signal_id]}.",
                                          ANSWER_LABEL))
        elif signal_id:
            seen[signal_id] = line
        if signal_id and status and answered:
            parsed.append((line, signal_id, status, answered))
    signals = {str(s.public_id): s for s in Signal.objects.filter(
        public_id__in=[p[1] for p in parsed], episode__corporation_id__in=corporation_ids
    ).select_related("episode")}
    for line, signal_id, _status, answered in parsed:
        signal = signals.get(signal_id)
        if signal is None:
            errors.append(ImportLineError(line, "signaal_id", "Dit signaal is niet bekend bij uw organisatie.",
                                          ANSWER_LABEL))
        elif answered < signal.signal_date:
            errors.append(ImportLineError(line, "datum", "Het antwoord kan niet van vóór het signaal zijn "
                                                         f"({signal.signal_date.isoformat()}).", ANSWER_LABEL))
        elif answered > timezone.localdate():
            errors.append(ImportLineError(line, "datum", "Een datum in de toekomst kan niet.", ANSWER_LABEL))
    if not errors and not parsed:
        errors.append(ImportLineError(1, "", "Het bestand bevat geen antwoorden.", ANSWER_LABEL))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.line, e.column)))
    updated = 0
    with transaction.atomic():
        for _line, signal_id, status, answered in parsed:
            if record_municipality_answer(signals[signal_id], user, status=status, answered_on=answered):
                updated += 1
    return AnswerImportResult(updated=updated, unchanged=len(parsed) - updated)
