"""Every write of the volunteer programme's recruitment and appreciation: keyword-only, one
transaction each. (Training: ``training.py``; the monthly meeting: ``meetings.py``.)

Callers (views, API, demo, tests) check who acts (``selectors``); these functions check what is
allowed and raise ``ValidationError`` with field keys and Dutch messages. Mail goes through the
outbox in the same transaction (guarantee 3).
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wijkpunt.accounts.services import set_password_link
from wijkpunt.core.models import Membership, Organisation, User
from wijkpunt.core.outbox import outbox_enqueue_email
from wijkpunt.core.permissions import clear_perm_cache, has_org_perm
from wijkpunt.core.validators import normalise_phone
from wijkpunt.housing.models import Neighbourhood
from wijkpunt.network.selectors import neighbourhoods_of

from . import dates
from .models import Candidate, Programme, Thanks, Volunteer

VOLUNTEER_ROLE = "bewonerskracht"
MANAGE = "volunteers.manage_programme"
DECISIONS = (Candidate.Status.SELECTED, Candidate.Status.NOT_SELECTED, Candidate.Status.WITHDRAWN)
MAX_TARGET = 100
MAX_EMAIL = 254  # Candidate.email and User.email


def _clean(value: str | None) -> str:
    return (value or "").strip()


# --- programmes -----------------------------------------------------------------------------------

def _check_programme(*, corporation: Organisation, neighbourhood: Neighbourhood | None, name: str,
                     target_size, coordinator: User | None, started_on: dt.date | None = None,
                     exclude_pk: int | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    if not dates.in_range(started_on):
        errors["started_on"] = [dates.range_message()]
    name = _clean(name)
    if not name:
        errors["name"] = [_("Vul een naam in.")]
    elif len(name) > 200:
        errors["name"] = [_("Gebruik hoogstens 200 tekens.")]
    if neighbourhood is None:
        errors["neighbourhood"] = [_("Kies een buurt.")]
    elif exclude_pk is None:
        if not neighbourhoods_of([corporation.pk]).filter(pk=neighbourhood.pk).exists():
            errors["neighbourhood"] = [_("Kies een buurt waar de corporatie woningen heeft.")]
        elif Programme.objects.filter(corporation=corporation, neighbourhood=neighbourhood).exists():
            errors["neighbourhood"] = [_("Voor deze buurt is al een programma.")]
    if not isinstance(target_size, int) or isinstance(target_size, bool) or not 1 <= target_size <= MAX_TARGET:
        errors["target_size"] = [_("Vul een aantal in van 1 tot en met %(max)s.") % {"max": MAX_TARGET}]
    if coordinator is not None and not has_org_perm(coordinator, MANAGE, corporation.pk):
        errors["coordinator"] = [_("Kies een medewerker van de corporatie die het programma mag beheren.")]
    if errors:
        raise ValidationError(errors)
    return {"name": name}


def programme_create(*, corporation: Organisation, neighbourhood: Neighbourhood | None, name: str,
                     target_size: int = 6, coordinator: User | None = None, started_on: dt.date | None = None,
                     actor: User | None = None) -> Programme:
    """A programme for one neighbourhood, with its training track of six default workshops."""
    from .training import track_ensure

    cleaned = _check_programme(corporation=corporation, neighbourhood=neighbourhood, name=name,
                               target_size=target_size, coordinator=coordinator, started_on=started_on)
    try:
        with transaction.atomic():
            programme = Programme.objects.create(
                corporation=corporation, neighbourhood=neighbourhood, name=cleaned["name"], target_size=target_size,
                coordinator=coordinator, started_on=started_on,
            )
            track_ensure(programme)
    except IntegrityError as exc:  # two people creating the same programme at once
        raise ValidationError({"neighbourhood": [_("Voor deze buurt is al een programma.")]}) from exc
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, name: str, target_size: int, coordinator: User | None,
                     started_on: dt.date | None, is_active: bool) -> Programme:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    cleaned = _check_programme(corporation=programme.corporation, neighbourhood=programme.neighbourhood, name=name,
                               target_size=target_size, coordinator=coordinator, started_on=started_on,
                               exclude_pk=programme.pk)
    programme.name = cleaned["name"]
    programme.target_size = target_size
    programme.coordinator = coordinator
    programme.started_on = started_on
    programme.is_active = is_active
    programme.save(update_fields=["name", "target_size", "coordinator", "started_on", "is_active"])
    return programme


# --- candidates -----------------------------------------------------------------------------------

@transaction.atomic
def candidate_nominate(*, programme: Programme, actor: User | None, first_name: str, last_name: str,
                       how_found: str, phone: str = "", email: str = "", street: str = "",
                       how_found_details: str = "") -> Candidate:
    """Put a key figure forward for the programme. A name, a way to reach them (phone or e-mail) and
    how they were found are required; "anders" needs a few words of explanation."""
    first_name, last_name, street = _clean(first_name), _clean(last_name), _clean(street)
    phone, email, details = _clean(phone), _clean(email).lower(), _clean(how_found_details)
    errors: dict[str, list[str]] = {}
    if not first_name:
        errors["first_name"] = [_("Vul de voornaam in.")]
    elif len(first_name) > 100:
        errors["first_name"] = [_("Gebruik hoogstens 100 tekens.")]
    if not last_name:
        errors["last_name"] = [_("Vul de achternaam in.")]
    elif len(last_name) > 200:
        errors["last_name"] = [_("Gebruik hoogstens 200 tekens.")]
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if len(email) > MAX_EMAIL:
        errors["email"] = [_("Gebruik hoogstens %(n)s tekens.") % {"n": MAX_EMAIL}]
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")]
        else:
            if programme.candidates.filter(email__iexact=email).exists():
                errors["email"] = [_("Iemand met dit e-mailadres is al voorgedragen voor dit programma.")]
    if not phone and not email and "phone" not in errors and "email" not in errors:
        errors["phone"] = [_("Vul een telefoonnummer of een e-mailadres in, zodat we de kandidaat kunnen bereiken.")]
    if len(street) > 200:
        errors["street"] = [_("Gebruik hoogstens 200 tekens.")]
    if how_found not in Candidate.HowFound.values:
        errors["how_found"] = [_("Kies hoe de kandidaat is gevonden.")]
    elif how_found == Candidate.HowFound.OTHER and not details:
        errors["how_found_details"] = [_("Vertel kort hoe de kandidaat is gevonden.")]
    if len(details) > 2000:
        errors["how_found_details"] = [_("Gebruik hoogstens 2000 tekens.")]
    if not programme.is_active:
        errors.setdefault("first_name", []).append(_("Dit programma is niet meer actief."))
    if errors:
        raise ValidationError(errors)
    return Candidate.objects.create(
        programme=programme, first_name=first_name, last_name=last_name, phone=phone, email=email, street=street,
        how_found=how_found, how_found_details=details, nominated_by=actor,
    )


def candidate_decide(*, candidate: Candidate, actor: User, status: str, reason: str, email: str = "") -> Candidate:
    """The selection step: selected, not selected or dropped out, always with a reason. Selecting
    makes the candidate a volunteer (``volunteer_enrol``) in the same transaction. A selected
    candidate stays selected (a volunteer who stops is ended on the volunteer, not here)."""
    reason = _clean(reason)
    errors: dict[str, list[str]] = {}
    if status not in DECISIONS:
        errors["status"] = [_("Kies geselecteerd, niet geselecteerd of afgehaakt.")]
    if not reason:
        errors["reason"] = [_("Geef een reden voor dit besluit.")]
    elif len(reason) > 2000:
        errors["reason"] = [_("Gebruik hoogstens 2000 tekens.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            candidate = Candidate.objects.select_for_update().select_related("programme__corporation").get(
                pk=candidate.pk)
            if candidate.status == Candidate.Status.SELECTED:
                raise ValidationError({"status": [_("Deze kandidaat is al geselecteerd en is Bewonerskracht.")]})
            if candidate.purged_at is not None:
                raise ValidationError({"status": [_(
                    "De gegevens van deze kandidaat zijn verwijderd (bewaartermijn); over hem of haar kan niet "
                    "meer worden besloten. Draag de persoon zo nodig opnieuw voor.")]})
            if status == Candidate.Status.SELECTED:
                email = _clean(email).lower() or candidate.email
                if not email:
                    raise ValidationError({"email": [_("Vul een e-mailadres in: daar sturen we de uitnodiging heen.")]})
                if len(email) > MAX_EMAIL:
                    raise ValidationError({"email": [_("Gebruik hoogstens %(n)s tekens.") % {"n": MAX_EMAIL}]})
                try:
                    validate_email(email)
                except ValidationError:
                    raise ValidationError({"email": [_(
                        "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")]}) from None
                if not candidate.programme.is_active:
                    raise ValidationError({"status": [_("Dit programma is niet meer actief.")]})
                candidate.email = email
            candidate.status = status
            candidate.decision_reason = reason
            candidate.decided_by = actor
            candidate.decided_at = timezone.now()
            candidate.save(update_fields=["email", "status", "decision_reason", "decided_by", "decided_at"])
            if status == Candidate.Status.SELECTED:
                volunteer_enrol(candidate=candidate, actor=actor)
    except IntegrityError as exc:  # pragma: no cover - a race the row lock should already prevent
        raise ValidationError({"status": [_("Het besluit kon niet worden opgeslagen. Probeer het opnieuw.")]}) from exc
    return candidate


# --- volunteers -----------------------------------------------------------------------------------

def _free_username(first_name: str, last_name: str) -> str:
    base = ".".join(p for p in (slugify(first_name), slugify(last_name)) if p) or "bewonerskracht"
    base = re.sub(r"[^a-z0-9._-]", "", base)[:140] or "bewonerskracht"
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}{n}"
    return username


def _existing_account(email: str, *, corporation: Organisation, role: Group) -> User | None:
    """The account to link: only a plain account (a resident's, or one that has just the volunteer
    role in this corporation). Never an admin (is_staff/is_superuser) or an account with any other
    role or organisation: selecting a candidate must not give a staff member, a partner or another
    corporation's account the volunteer role and profile just because someone typed its address."""
    matches = list(User.objects.filter(email__iexact=email)[:2])
    if len(matches) > 1:
        raise ValidationError({"email": [_(
            "Er zijn meerdere accounts met dit e-mailadres. Vraag de beheerder welk account het is.")]})
    if not matches:
        return None
    user = matches[0]
    if not user.is_active:
        raise ValidationError({"email": [_(
            "Er is een account met dit e-mailadres, maar het is niet actief. Vraag de beheerder het te activeren.")]})
    other_roles = Membership.objects.filter(user=user).exclude(organisation=corporation, role=role)
    if user.is_staff or user.is_superuser or other_roles.exists():
        raise ValidationError({"email": [_(
            "Dit e-mailadres hoort bij een account van een medewerker of van een andere organisatie. Gebruik "
            "een eigen (privé) e-mailadres van de Bewonerskracht.")]})
    return user


@transaction.atomic
def volunteer_enrol(*, candidate: Candidate, actor: User | None) -> Volunteer:
    """Make a selected candidate a volunteer: the existing account with the candidate's e-mail
    address, or a new one (no password yet), the role *bewonerskracht* in the corporation, the
    ``Volunteer`` profile, and a welcome mail (with a link to set a password for a new account)."""
    programme = candidate.programme
    corporation = programme.corporation
    role = Group.objects.get(name=VOLUNTEER_ROLE)
    user = _existing_account(candidate.email, corporation=corporation, role=role)
    new_account = user is None
    if user is None:
        user = User(username=_free_username(candidate.first_name, candidate.last_name),
                    first_name=candidate.first_name[:150], last_name=candidate.last_name[:150],
                    email=candidate.email, is_active=True)
        user.set_unusable_password()
        user.save()
    elif Volunteer.objects.filter(user=user).exists():
        raise ValidationError({"email": [_("Het account met dit e-mailadres is al Bewonerskracht.")]})
    Membership.objects.get_or_create(user=user, organisation=corporation, role=role)
    clear_perm_cache(user)
    volunteer = Volunteer.objects.create(user=user, programme=programme, candidate=candidate, phone=candidate.phone,
                                         started_on=timezone.localdate())
    _send_welcome(volunteer=volunteer, new_account=new_account, actor=actor)
    return volunteer


def _send_welcome(*, volunteer: Volunteer, new_account: bool, actor: User | None) -> None:
    user, programme = volunteer.user, volunteer.programme
    link, days = set_password_link(user) if new_account else ("", 0)
    body = render_to_string("volunteers/email/welcome.txt", {
        "user": user, "programme": programme, "organisation": programme.corporation, "actor": actor,
        "link": link, "days": days, "new_account": new_account,
        "login_url": settings.BASE_URL + reverse("login"), "page_url": settings.BASE_URL + reverse("volunteers:me"),
    })
    outbox_enqueue_email(
        idempotency_key=f"volunteers:welcome:{volunteer.pk}",
        recipient=user.email,
        subject=_("Welkom als Bewonerskracht in %(buurt)s") % {"buurt": programme.neighbourhood.name},
        body=body,
    )


# --- appreciation ---------------------------------------------------------------------------------

@transaction.atomic
def thanks_send(*, volunteer: Volunteer, actor: User, text: str) -> Thanks:
    """Thank a volunteer: stored on their page and e-mailed to them (after commit, via the outbox)."""
    text = _clean(text)
    if not text:
        raise ValidationError({"text": [_("Schrijf een bedankje.")]})
    if len(text) > 2000:
        raise ValidationError({"text": [_("Gebruik hoogstens 2000 tekens.")]})
    thanks = Thanks.objects.create(volunteer=volunteer, text=text, sent_by=actor)
    user = volunteer.user
    if user.email:
        body = render_to_string("volunteers/email/thanks.txt", {
            "user": user, "thanks": thanks, "actor": actor, "organisation": volunteer.programme.corporation,
            "page_url": settings.BASE_URL + reverse("volunteers:me"),
        })
        outbox_enqueue_email(
            idempotency_key=f"volunteers:thanks:{thanks.pk}",
            recipient=user.email,
            subject=_("Bedankt voor uw inzet als Bewonerskracht"),
            body=body,
        )
    return thanks
