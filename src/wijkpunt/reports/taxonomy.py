"""The starter taxonomy of docs/domain.md. Loaded by a data migration and by ``load_taxonomy``;
afterwards it is data, editable in the admin. Slugs are stable identifiers."""

# (slug, name, name_en, vera_code, [(sub_slug, name, name_en, default_urgency, handling_days, vera_code)])
TAXONOMY = [
    ("reparatie", "Reparatie / gebrek", "Repair / defect", "ONDERHOUDSOORT.REP", [
        ("lekkage", "Lekkage", "Leak", "hoog", 2, "DEFECTSOORT"),
        ("verwarming", "Verwarming / warm water", "Heating / hot water", "hoog", 2, "DEFECTSOORT"),
        ("elektra", "Elektra", "Electrics", "hoog", 2, "DEFECTSOORT"),
        ("sanitair", "Sanitair / afvoer", "Sanitary / drains", "normaal", 5, "DEFECTSOORT"),
        ("deuren-ramen-sloten", "Deuren, ramen en sloten", "Doors, windows and locks", "normaal", 5, "DEFECTSOORT"),
        ("schimmel-vocht", "Schimmel en vocht", "Mould and damp", "normaal", 10, "DEFECTSOORT"),
        ("lift", "Lift", "Lift", "hoog", 1, "DEFECTSOORT"),
        ("overig-reparatie", "Overige reparatie", "Other repair", "normaal", 10, "DEFECTSOORT"),
    ]),
    ("veiligheid", "Onveilige situatie", "Unsafe situation", "ZAAKTYPEDETAILSOORT.ONV", [
        ("brandgevaar", "Brandgevaar", "Fire hazard", "spoed", 0, "ZAAKTYPEDETAILSOORT.ONV"),
        ("gaslucht", "Gaslucht", "Gas smell", "spoed", 0, "ZAAKTYPEDETAILSOORT.ONV"),
        ("verlichting", "Kapotte verlichting", "Broken lighting", "hoog", 3, "ZAAKTYPEDETAILSOORT.ONV"),
        ("inbraak-vandalisme", "Inbraak of vandalisme", "Burglary or vandalism", "hoog", 2, "ZAAKTYPEDETAILSOORT.ONV"),
        ("losse-bouwdelen", "Losse bouwdelen", "Loose building parts", "hoog", 1, "ZAAKTYPEDETAILSOORT.ONV"),
    ]),
    ("overlast", "Overlast", "Nuisance", "SIGNALERINGSOORT.OVE", [
        ("geluid", "Geluidsoverlast", "Noise", "normaal", 10, "ZAAKTYPEDETAILSOORT.GEL"),
        ("stank", "Stankoverlast", "Smell", "normaal", 10, "SIGNALERINGSOORT.OVE"),
        ("agressie-intimidatie", "Agressie en intimidatie", "Aggression and intimidation", "spoed", 0,
         "ZAAKTYPEDETAILSOORT.AGR"),
        ("drugs", "Drugs", "Drugs", "hoog", 3, "ZAAKTYPEDETAILSOORT.DRU"),
        ("huisdieren", "Huisdieren", "Pets", "normaal", 10, "ZAAKTYPEDETAILSOORT.DIE"),
        ("jongeren", "Hinderlijke jongeren", "Youth nuisance", "normaal", 5, "SIGNALERINGSOORT.OVE"),
    ]),
    ("woonomgeving", "Woonomgeving", "Living environment", "ZAAKTYPESOORT.OMG", [
        ("zwerfvuil-grofvuil", "Zwerfvuil en grofvuil", "Litter and bulky waste", "normaal", 5, "ZAAKTYPESOORT.OMG"),
        ("groen-onkruid", "Groen en onkruid", "Greenery and weeds", "laag", 15, "ZAAKTYPESOORT.OMG"),
        ("graffiti", "Graffiti", "Graffiti", "laag", 10, "ZAAKTYPESOORT.OMG"),
        ("wrakken", "Fiets- en autowrakken", "Abandoned bikes and cars", "laag", 15, "ZAAKTYPESOORT.OMG"),
        ("ongedierte", "Ongedierte", "Pests", "normaal", 5, "ZAAKTYPESOORT.ONG"),
    ]),
    ("zorgsignaal", "Zorg om een bewoner", "Worry about a resident", "SIGNALERINGSOORT.ONB", [
        ("eenzaamheid", "Eenzaamheid", "Loneliness", "normaal", 5, "SIGNALERINGSOORT.ONB"),
        ("verwaarlozing-vervuiling", "Verwaarlozing of vervuiling", "Neglect or hoarding", "hoog", 3,
         "SIGNALERINGSOORT.ONB"),
        ("verward-gedrag", "Verward gedrag", "Confused behaviour", "hoog", 1, "ZAAKTYPEDETAILSOORT.PSY"),
        ("niet-gezien", "Bewoner al dagen niet gezien", "Resident not seen for days", "spoed", 0,
         "SIGNALERINGSOORT.ONB"),
        ("financiele-zorgen", "Financiële zorgen", "Financial worries", "normaal", 5, "SIGNALERINGSOORT.ONB"),
    ]),
    ("huisregels", "Huisregels", "House rules", "ZAAKTYPESOORT.WOO", [
        ("spullen-gemeenschappelijk", "Spullen in gemeenschappelijke ruimte", "Items in common areas", "normaal", 10,
         "ZAAKTYPESOORT.KLI"),
        ("onderhuur-woonfraude", "Onderhuur of woonfraude", "Illegal subletting or housing fraud", "normaal", 15,
         "ZAAKTYPESOORT.WOO"),
        ("afval", "Afval", "Waste", "normaal", 10, "ZAAKTYPESOORT.ONR"),
        ("overig-huisregels", "Overige huisregels", "Other house rules", "laag", 15, "ZAAKTYPESOORT.ONR"),
    ]),
]


def load_taxonomy(Category) -> int:  # noqa: N803 - a (historical) model class is passed in
    """Create missing categories; never overwrite what an administrator changed."""
    created = 0
    for position, (slug, name, name_en, vera, subs) in enumerate(TAXONOMY):
        main, was_created = Category.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "vera_code": vera, "position": position * 10,
                      "handling_days": 5},
        )
        created += was_created
        for sub_position, (sub_slug, sub_name, sub_en, urgency, days, sub_vera) in enumerate(subs):
            _sub, was_created = Category.objects.get_or_create(
                slug=sub_slug,
                defaults={"parent": main, "name": sub_name, "name_en": sub_en, "default_urgency": urgency,
                          "handling_days": days, "vera_code": sub_vera, "position": sub_position},
            )
            created += was_created
    return created
