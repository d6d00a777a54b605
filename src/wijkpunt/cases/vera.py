"""The housing sector's case vocabulary (VERA informatiedomein Dossier, Referentiedata.csv, CC0),
copied so that the code does not depend on the shared file at run time; a test compares them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseType(models.TextChoices):
    """VERA ZAAKTYPESOORT (Referentiedata.csv, informatiedomein Dossier)."""

    FIN = "FIN", _("Financiële problematiek")
    LEE = "LEE", _("Leefbaarheid")
    OMG = "OMG", _("Omgevingsoverlast")
    ORG = "ORG", _("Klacht over organisatie")
    SOC = "SOC", _("Sociale melding")
    WOO = "WOO", _("Woonfraude")


class CaseTypeDetail(models.TextChoices):
    """VERA ZAAKTYPEDETAILSOORT (current codes); the parent ZAAKTYPESOORT is in ``DETAIL_PARENT``."""

    AGR = "AGR", _("Agressie/bedreiging")
    BED = "BED", _("Bedrijfsmatig gebruik woning")
    BET = "BET", _("Betalingsregeling")
    DIE = "DIE", _("Huisdieren")
    DRU = "DRU", _("Dealen/drugspanden")
    GEL = "GEL", _("Geluidsoverlast")
    HAN = "HAN", _("Omgevingsoverlast")
    HEN = "HEN", _("Hennepkwekerij")
    HUA = "HUA", _("Huurachterstand")
    HUR = "HUR", _("Huurverhoging")
    KLI = "KLI", _("Oneigenlijk gebruik gemeenschappelijke ruimte")
    KME = "KME", _("Klacht over medewerker")
    KSA = "KSA", _("Klacht over samenwerkingspartner")
    ONG = "ONG", _("Ongedierte")
    ONR = "ONR", _("Onrechtmatige bewoning")
    ONV = "ONV", _("Onveiligheid gemeenschappelijke ruimte")
    OVE = "OVE", _("Overige")
    PSY = "PSY", _("Psychische problematiek")
    RUZ = "RUZ", _("Burenruzie")
    STA = "STA", _("Stankoverlast")
    VAN = "VAN", _("Vandalisme")
    VER = "VER", _("Verslavingsproblematiek")
    VUI = "VUI", _("Vervuiling")


DETAIL_PARENT = {
    "AGR": "SOC", "BED": "WOO", "BET": "FIN", "DIE": "SOC", "DRU": "SOC", "GEL": "SOC", "HAN": "OMG",
    "HEN": "SOC", "HUA": "FIN", "HUR": "FIN", "KLI": "WOO", "KME": "ORG", "KSA": "ORG", "ONG": "SOC",
    "ONR": "WOO", "ONV": "SOC", "OVE": "SOC", "PSY": "SOC", "RUZ": "SOC", "STA": "SOC", "VAN": "SOC",
    "VER": "SOC", "VUI": "SOC",
}


class CaseRole(models.TextChoices):
    """VERA ZAAKROL: the role an organisation plays in a case."""

    ADV = "ADV", _("Adviseur")
    BEH = "BEH", _("Behandelaar")
    BEK = "BEK", _("Beklaagde")
    BEL = "BEL", _("Belanghebbende")
    BES = "BES", _("Beslisser")
    INI = "INI", _("Initiator")
    KLA = "KLA", _("Klantcontacter")
    KLG = "KLG", _("Klager")
    MEL = "MEL", _("Melder")
    OVE = "OVE", _("Overige betrokkene")
    ZAA = "ZAA", _("Zaakcoördinator")
