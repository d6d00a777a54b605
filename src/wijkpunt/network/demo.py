"""Demo directory: contact points of the demo corporation for its neighbourhoods (fictitious but
plausible; 030 numbers for the Zeist/De Bilt area, the police's real non-emergency number 0900-8844
and 112 where that is what one does out of hours)."""

from __future__ import annotations

from wijkpunt.core.models import Organisation
from wijkpunt.housing.models import Neighbourhood

from .models import ContactPoint

# name, kind, partner organisation slug (in Wijkpunt) or "", neighbourhood codes ("" = all), handles,
# phone in office hours, phone out of hours, e-mail, hours, out of hours, website, shared with volunteers
DIRECTORY = (
    ("Wijkteam Zeist-Noord", "wijkteam", "wijkteam-zeist", ("BU03550301", "BU03550101"),
     "Zorgen over een bewoner: vereenzaming, verwaarlozing, opvoeding, mantelzorg; eerste gesprek aan huis.",
     "030-6981200", "", "wijkteam.zeist@example.nl", "ma–vr 9–17", "Bij acuut gevaar: 112. Crisisdienst via de huisartsenpost.",
     "https://www.wijkteamzeist.example.nl", True),
    ("Wijkteam Zeist-West (Vollenhove, Kerckebosch)", "wijkteam", "wijkteam-zeist", ("BU03550201", "BU03550202"),
     "Zorgen over een bewoner, opvoedvragen, hulp bij formulieren; spreekuur in het wijkcentrum.",
     "030-6981210", "", "wijkteam.zeist@example.nl", "ma–vr 9–17, do tot 20", "Bij acuut gevaar: 112.",
     "https://www.wijkteamzeist.example.nl", True),
    ("Schuldhulpverlening Kromme Rijn", "schuldhulpverlening", "schuldhulp-kromme-rijn", (),
     "Betalingsachterstanden, schulden, budgetbeheer; vroegsignalering huurachterstand (meldingen van de corporatie).",
     "030-6924400", "", "schuldhulp@example.nl", "ma–vr 9–16.30", "Geen spoeddienst; laat een bericht achter.",
     "https://www.schuldhulpkrommerijn.example.nl", False),
    ("Stichting Wending: aanmelding begeleid wonen", "zorgaanbieder", "wending", (),
     "Ambulante begeleiding, beschermd wonen, zorgen over psychische problemen bij een huurder die al in zorg is.",
     "030-6937700", "030-6937799", "aanmelding.wending@example.nl", "ma–vr 8.30–17", "Bereikbaarheidsdienst voor cliënten in zorg.",
     "https://www.wending.example.nl", False),
    ("Wijkagent Kerckebosch: Sanne de Vries", "wijkagent", "politie-zeist-de-bilt", ("BU03550202",),
     "Overlast, drugshandel, woonfraude en hennep, zorgen over veiligheid in de buurt; geen spoed.",
     "0900-8844", "112", "wijkagent.zeist@example.nl", "via 0900-8844, vraag naar de wijkagent",
     "Spoed, levensgevaar of heterdaad: bel 112.", "https://www.politie.nl/mijn-buurt", True),
    ("Wijkagent Zeist-Centrum en Crosestein: Mehmet Yilmaz", "wijkagent", "politie-zeist-de-bilt",
     ("BU03550101", "BU03550301"),
     "Overlast, jongerengroepen, veiligheid rond winkels en complexen; geen spoed.",
     "0900-8844", "112", "wijkagent.zeist@example.nl", "via 0900-8844, vraag naar de wijkagent",
     "Spoed, levensgevaar of heterdaad: bel 112.", "https://www.politie.nl/mijn-buurt", True),
    ("Wijkagent De Bilt-Bilthoven", "wijkagent", "politie-zeist-de-bilt",
     ("BU03100101", "BU03100102", "BU03100201", "BU03100202"),
     "Overlast en veiligheid in De Bilt en Bilthoven; geen spoed.",
     "0900-8844", "112", "", "via 0900-8844, vraag naar de wijkagent", "Spoed: bel 112.",
     "https://www.politie.nl/mijn-buurt", True),
    ("Buurtbemiddeling Zeist", "buurtbemiddeling", "buurtbemiddeling-zeist", (),
     "Burenruzies over geluid, rommel, kinderen, huisdieren; getrainde vrijwilligers bemiddelen, beide buren moeten meedoen.",
     "030-6982300", "", "buurtbemiddeling@example.nl", "ma–do 9–17", "Geen spoeddienst.",
     "https://www.buurtbemiddelingzeist.example.nl", True),
    ("Brandweer Veiligheidsregio Utrecht: brandveiligheid", "brandweer", "", (),
     "Voorlichting brandveiligheid, vluchtwegen en galerijen vol spullen, rookmelders; geen spoed.",
     "088-8781000", "112", "", "ma–vr 8.30–17", "Brand of rook: bel 112.", "https://www.vru.nl", True),
    ("Dierenambulance Zeist en omstreken", "dierenambulance", "", (),
     "Gewonde of zieke dieren, zwerfkatten, dode dieren op straat of in gemeenschappelijke ruimten.",
     "030-6950505", "144", "", "dag en nacht", "Dier in nood: bel 144.", "https://www.dierenambulance.example.nl", True),
    ("Jongerenwerk Zeist (JOZ)", "jeugdwerk", "", ("BU03550201", "BU03550202", "BU03550101"),
     "Jongeren die rondhangen bij portieken, overlast door groepen, activiteiten en gesprekken met jongeren.",
     "030-6953350", "", "jongerenwerk@example.nl", "di–za 14–22", "'s Avonds ambulante ronde; anders de wijkagent.",
     "https://www.jongerenwerkzeist.example.nl", True),
    ("Jongerenwerk De Bilt", "jeugdwerk", "", ("BU03100101", "BU03100102", "BU03100201", "BU03100202", "BU03100301"),
     "Jongerenoverlast en activiteiten in De Bilt, Bilthoven en Maartensdijk.",
     "030-2284500", "", "", "wo–za 15–22", "", "", True),
)


def seed_network(*, corporation: Organisation) -> int:
    """Create the demo directory of ``corporation`` once (idempotent by name). Returns how many new."""
    made = 0
    partners = {o.slug: o for o in Organisation.objects.all()}
    buurten = {n.code: n for n in Neighbourhood.objects.all()}
    for (name, kind, partner_slug, codes, handles, phone, phone_ooh, email, hours, ooh, website,
         shared) in DIRECTORY:
        point, created = ContactPoint.objects.get_or_create(
            owner=corporation, name=name,
            defaults={
                "kind": kind, "organisation": partners.get(partner_slug) if partner_slug else None,
                "handles": handles, "phone_office_hours": phone, "phone_out_of_hours": phone_ooh,
                "email": email, "hours_text": hours, "out_of_hours_text": ooh, "website": website,
                "shared_with_volunteers": shared,
            },
        )
        if created:
            point.full_clean()
            point.neighbourhoods.set([buurten[c] for c in codes if c in buurten])
            made += 1
    return made
