"""Training: six default workshops (editable, one can be added), attendance per workshop per
volunteer, and the certificate PDF only when every workshop of the track was attended."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from wijkpunt.volunteers import training
from wijkpunt.volunteers.models import Attendance, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(vw):
    return training.track_ensure(vw.programme)


def _all_pairs(track, volunteer, *, skip: int = 0):
    workshops = list(track.workshops.order_by("number"))
    return {(w.pk, volunteer.pk) for w in workshops[: len(workshops) - skip]}


def test_default_track_has_six_workshops(vw, track):
    assert [w.number for w in track.workshops.order_by("number")] == [1, 2, 3, 4, 5, 6]
    assert training.track_ensure(vw.programme) == track  # idempotent
    assert track.workshops.count() == 6


def test_training_page_and_edit_a_workshop(client, vw, track):
    client.force_login(vw.consultant)
    page = client.get(reverse("volunteers:training", args=[vw.programme.pk]))
    assert page.status_code == 200 and "Signaleren en melden met Wijkpunt" in page.content.decode()
    first = track.workshops.get(number=1)
    response = client.post(reverse("volunteers:workshop_edit", args=[first.pk]), {
        "title": "Kennismaking", "starts_at": "2026-09-03T19:30", "location": "Buurthuis De Merel"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.title == "Kennismaking" and first.location == "Buurthuis De Merel" and timezone.localtime(first.starts_at).hour == 19
    response = client.post(reverse("volunteers:workshop_edit", args=[first.pk]), {
        "title": "", "starts_at": "31-31-2026 99:00"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vul een titel in." in body and "Vul een geldige datum en tijd in" in body


def test_add_a_workshop(client, vw, track):
    client.force_login(vw.consultant)
    response = client.post(reverse("volunteers:workshop_add", args=[vw.programme.pk]), {
        "nieuw-title": "Terugkomavond", "nieuw-starts_at": "", "nieuw-location": ""})
    assert response.status_code == 302
    assert track.workshops.get(number=7).title == "Terugkomavond"
    response = client.post(reverse("volunteers:workshop_add", args=[vw.programme.pk]), {"nieuw-title": ""})
    assert response.status_code == 400


def test_attendance_grid_saves_exactly_what_is_ticked(client, vw, track):
    client.force_login(vw.consultant)
    w1, w2 = track.workshops.order_by("number")[:2]
    url = reverse("volunteers:attendance", args=[vw.programme.pk])
    response = client.post(url, {"aanwezig": [f"{w1.pk}-{vw.henk.pk}", f"{w2.pk}-{vw.henk.pk}",
                                              f"{w1.pk}-{vw.gulsen.pk}"]})
    assert response.status_code == 302
    assert Attendance.objects.count() == 3
    client.post(url, {"aanwezig": [f"{w1.pk}-{vw.henk.pk}"]})
    assert list(Attendance.objects.values_list("workshop_id", "volunteer_id")) == [(w1.pk, vw.henk.pk)]


@pytest.mark.parametrize("value", ["abc", "1-", "-1", "1_2", "9" * 20 + "-1"])
def test_attendance_garbage_is_a_400(client, vw, track, value):
    client.force_login(vw.consultant)
    response = client.post(reverse("volunteers:attendance", args=[vw.programme.pk]), {"aanwezig": [value]})
    assert response.status_code == 400 and "kon niet worden gelezen" in response.content.decode()


def test_attendance_of_another_programme_is_refused(client, vw, track):
    client.force_login(vw.consultant)
    w1 = track.workshops.first()
    # lotte walks in Lombok: not a volunteer of this programme; an unknown workshop id too
    for value in (f"{w1.pk}-{vw.lotte.pk}", f"999999-{vw.henk.pk}"):
        response = client.post(reverse("volunteers:attendance", args=[vw.programme.pk]), {"aanwezig": [value]})
        assert response.status_code == 400
        assert "Kies alleen workshops van dit traject" in response.content.decode()
    assert not Attendance.objects.exists()


def test_certificate_only_when_complete(client, vw, track):
    training.attendance_save(track=track, actor=vw.consultant, present=_all_pairs(track, vw.henk, skip=1))
    progress = training.progress_for(vw.henk)
    assert not progress.complete and [w.number for w in progress.missing] == [6]
    with pytest.raises(training.CertificateNotAvailable) as exc:
        training.certificate_pdf(vw.henk)
    assert [w.number for w in exc.value.missing] == [6]

    client.force_login(vw.henk.user)
    refused = client.get(reverse("volunteers:my_certificate"))
    assert refused.status_code == 403
    assert "Samen op ronde: oefenen en afsluiting" in refused.content.decode()
    me = client.get(reverse("volunteers:me")).content.decode()
    assert "5 van de 6 workshops gevolgd" in me and 'data-testid="certificate-link"' not in me

    training.attendance_save(track=track, actor=vw.consultant, present=_all_pairs(track, vw.henk))
    pdf = client.get(reverse("volunteers:my_certificate"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'data-testid="certificate-link"' in client.get(reverse("volunteers:me")).content.decode()
    # staff can download it too; the same data gives the same bytes
    client.force_login(vw.consultant)
    again = client.get(reverse("volunteers:certificate", args=[vw.henk.pk]))
    assert again.status_code == 200 and again.content == pdf.content
    # gulsen attended nothing
    assert client.get(reverse("volunteers:certificate", args=[vw.gulsen.pk])).status_code == 403


def test_a_workshop_added_later_makes_the_track_incomplete(vw, track):
    training.attendance_save(track=track, actor=None, present=_all_pairs(track, vw.henk))
    assert training.progress_for(vw.henk).complete
    training.workshop_add(track=track, title="Extra", starts_at=None, location="")
    assert not training.progress_for(vw.henk).complete


def test_no_track_no_certificate(vw):
    # a programme without a track (made outside the service): no workshops, so never complete
    assert not Workshop.objects.filter(track__programme=vw.programme).exists()
    assert not training.progress_for(vw.henk).complete
    with pytest.raises(training.CertificateNotAvailable):
        training.certificate_pdf(vw.henk)
