"""Rule-based safety net for urgency: Dutch phrases that force ``urgency = "spoed"``.

Deliberately transparent: every rule has a readable Dutch label that ends up in
``Suggestion.urgency_reason`` ("trefwoord: gaslucht (\"ruik gas\")"), so a duty officer can see
why a report was paged. The rules run on the *normalised* text (lower case, accents removed,
whitespace collapsed; see :func:`wijkpunt.triage.classifier.normalise`).

The net favours recall: a few false alarms (a smell of "rotte eieren" that turns out to be
rubbish) are accepted, a missed gas leak is not. Only obvious negations directly in front of a
trigger ("geen gaslucht", "niet naar gas") are skipped.

Pure Python, no Django imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["RULES", "Rule", "RuleMatch", "find_urgent_trigger"]

# Words that describe a heating failure, and words that describe frost. Both must be present.
_HEATING = re.compile(
    r"\b(verwarming\w*|cv|cv-ketel|ketel|kachel|radiator\w*|blokverwarming|stadsverwarming|warmte)\b"
)
_FROST = re.compile(r"\b(vriest|vriezen|vorst|ijskoud|steenkoud|min \d+ graden|min \d+)\b(?! ?(niet|nie)\b)|(?<![\w-])-\d+\b")

# A negation directly before the trigger cancels it ("het is geen gaslucht", "ruikt niet naar gas").
_NEGATION_BEFORE = re.compile(r"\b(geen|niet|nie)\s+(\w+\s+)?$")
_NEGATION_INSIDE = re.compile(r"\b(geen|niet|nie)\b")


@dataclass(frozen=True)
class Rule:
    label: str
    pattern: re.Pattern[str]
    negatable: bool = False


@dataclass(frozen=True)
class RuleMatch:
    label: str
    matched: str

    @property
    def reason(self) -> str:
        return f'trefwoord: {self.label} ("{self.matched}")'


def _r(label: str, pattern: str, *, negatable: bool = False) -> Rule:
    return Rule(label=label, pattern=re.compile(pattern), negatable=negatable)


RULES: tuple[Rule, ...] = (
    # --- gas and carbon monoxide -------------------------------------------------------------
    _r("gaslucht", r"\bgas ?(lucht|geur|lek\w*)\b", negatable=True),
    _r("gaslucht", r"\b(ruik\w*|rook|roken|stinkt|stinken)\b(\s+\S+){0,5}?\s+(naar\s+)?gas\b", negatable=True),
    _r("gaslucht", r"\bnaar gas\b", negatable=True),
    _r("gaslucht", r"\bgas\b(\s+\S+){0,6}\s+(ruik\w*|rook|stinkt|lucht)\b", negatable=True),
    _r("gaslucht", r"\brotte eieren\b", negatable=True),
    _r("gaslucht", r"\bgaskraan\w*\b(\s+\S+){0,3}\s+(staat\s+)?open\b|\bgaskraan\w* open\w*\b"),
    _r("gaslucht", r"\bsis\w*\b(\s+\S+){0,6}\s+gas\w*\b|\bgas\w*\b(\s+\S+){0,6}\s+sis\w*\b"),
    _r("koolmonoxide", r"\bkoolmonoxide\w*\b|\bco[- ]?melder\b|\bvlam is geel\b|\bgele vlam\b"),
    _r("koolmonoxide", r"\b(geiser|cv|ketel|kachel|boiler)\b(\s+\S+){0,8}\s+(hoofdpijn|duizelig|misselijk|hoofd bonkt)\b"),
    # --- fire and smoke ----------------------------------------------------------------------
    _r("brand", r"(?<!bij )(?<!van )\b(in\s+)?brand\b(?!\w)", negatable=True),
    _r("brand", r"\bin de fik\b|\bvat vlam\b|\bvlammen\b|\bvlam in\b"),
    _r("brandlucht", r"\b(brand|schroei|verbrande?)lucht\b|\bruik\w*\b(\s+\S+){0,3}\s+(verbrand\w*|naar brand)\b", negatable=True),
    _r("rook", r"\brook\s+(uit|onder|in|op|bij|door)\b|\b(veel|dikke|zwarte|witte)\s+rook\b|\brookontwikkeling\b|\brook(wolk|walm)\w*\b"),
    _r("rookmelder gaat af", r"\brookmelder\w*\b(\s+\S+){0,4}\s+(gaat|gaan|ging|gingen)\b(\s+\S+){0,3}\s+af\b"),
    _r("smeulen", r"\bsmeul\w*\b"),
    _r("ontploffing", r"\bontplof\w*\b|\bexplo\w*\b"),
    # --- electricity -------------------------------------------------------------------------
    _r("kortsluiting", r"\bkortsluiting\b"),
    _r("vonken", r"\bvonk\w*\b|\bknettert?\b|\bknetterend\b"),
    _r("losse stroomdraden", r"\b(stroom)?draden\b(\s+\S+){0,3}\s+(bloot|los)\b|\bstroomkabel\w*\b(\s+\S+){0,3}\s+(hangt|hangen|los|bloot)\b|\b(hangt|hangen)\b(\s+\S+){0,3}\s+(tegen\s+)?de\s+stroomkabel\w*|\bkabel\w*\b(\s+\S+){0,4}\s+hangt\b"),
    _r("water in meterkast", r"\bwater\w*\b(\s+\S+){0,5}\s+meterkast\b|\bmeterkast\b(\s+\S+){0,5}\s+water\b"),
    # --- water -------------------------------------------------------------------------------
    _r("water stroomt", r"\b\w*water\b(\s+\S+){0,5}\s+(stroomt|stromen|spuit|spuiten|klettert|gutst|staat\s+\d+\s*cm)\b"),
    _r("water stroomt", r"\b(stroomt|spuit|klettert|gutst)\b(\s+\S+){0,4}\s+water\b|\bmet bakken\b|\bstaat blank\b"),
    _r("water stroomt", r"\bregent\s+het\s+binnen\b|\b(loopt|stroomt)\s+de\s+(gang|kamer|woonkamer|hal|trap|slaapkamer)\s+in\b|\bwater\b(\s+\S+){0,3}\s+over de vloer\b"),
    _r("leiding gesprongen", r"\b(water)?leiding\b(\s+\S+){0,3}\s+(gesprongen|geknapt|gebarsten)\b|\b(gesprongen|geknapte?|gebarsten)\s+(water)?leiding\b"),
    _r("plafond komt naar beneden", r"\bplafond\b(\s+\S+){0,6}\s+(bolt|naar beneden|stort\w*|ingestort|komt los)\b"),
    # --- falling building parts --------------------------------------------------------------
    _r("vallende bouwdelen", r"\b(steen|stenen|beton|brokken|dakpan\w*|plank|planken|dakplaten|tegels?)\b(\s+\S+){0,10}\s+(valt|vallen|viel|vielen|gevallen|naar beneden|waaien los|vliegen)\b"),
    _r("vallende bouwdelen", r"\b(valt|vallen|viel|vielen)\b(\s+\S+){0,3}\s+(steen|stenen|beton|brokken|stuk|stukken)\b"),
    _r("vallende bouwdelen", r"\belk moment\b(\s+\S+){0,5}\s+(vallen|naar beneden)\b|\bkan (\w+ ){0,2}naar beneden vallen\b"),
    # --- heating in frost (two-part rule, see find_urgent_trigger) ----------------------------
    # --- lift --------------------------------------------------------------------------------
    _r("vast in de lift", r"\b(vast|opgesloten)\b(\s+\S+){0,4}\s+lift\b|\blift\b(\s+\S+){0,3}\s+(vast|opgesloten)\b"),
    # --- violence, weapons, threats ----------------------------------------------------------
    _r("wapen", r"\b(mes|messen|wapen\w*|pistool|vuurwapen\w*|knuppel\w*|honkbalknuppel\w*|bijl)\b"),
    _r("bedreiging", r"\bbedreig\w*\b|\bdoodsbedreig\w*\b"),
    _r("bedreiging", r"\bdreig(t|de|den|en)\b(?!(\s+\S+){0,4}\s+(uit huis|ontruim\w*|af te sluiten|afgesloten|te vallen|in te storten))"),
    _r("bedreiging", r"\b(krijg\w*|vind\w*|pak\w*)\s+(je|jou|jullie|u)\s+(nog\s+)?wel\b|\bzou\s+(me|mij|je|ons)\s+(nog\s+)?(wel\s+)?(vinden|krijgen|pakken)\b"),
    _r("bedreiging", r"\b(me|mij|je|jou|ons|jullie)\s+(nog\s+)?wel\s+(\w+\s+){0,2}(vinden|krijgen|pakken|opzoeken)\b"),
    _r("bedreiging", r"\bweten?\s+waar\s+(je|jij|jullie|ik|we|wij|u|mijn kinderen)\b|\bnog wel (zien|merken)\b|\bhet nog wel zien\b"),
    _r("bedreiging", r"\b(moet|moeten) oppassen\b|\bte wachten staat\b|\blaatste keer\b(\s+\S+){0,6}\s+(gebeld|geklaagd|gemeld)\b"),
    _r("bedreiging", r"\b(steek|steken)\b(\s+\S+){0,2}\s+neer\b|\bneer\s?steken\b|\b(gaan|ga|gaat)\s+steken\b|\bvermoord\w*\b|\bdood\s?maken\b"),
    _r("bedreiging", r"\b(je|jou|jullie|iedereen|hem|haar|mij|me)\s+kapot\s+(te\s+)?ma(ak|akt|ken)\b"),
    _r("geweld", r"\b(slaat|sloeg|sloegen|slaan)\b(?!(\s+\S+){0,2}\s+(dicht|af|aan|op hol)\b)(?!\s+bijna\s+tegen)|(?<!kapot )\bgeslagen\b|\bin elkaar\b|\bmishandel\w*\b|\bvechtpartij\w*\b|\bgeduwd\b|\bgebeten\b"),
    _r("geweld", r"\bbloed\w*\b|\b(hoor|hoort|horen)\b(\s+\S+){0,4}\s+(gillen|gilt|schreeuwen om)\b"),
    _r("iemand ligt op de grond", r"\b(iemand|hij|ze|zij|man|vrouw|meneer|mevrouw|persoon)\s+ligt\s+(\w+\s+)?op de grond\b"),
    _r("geweld", r"\b(gooi\w*|gegooid|ingegooid)\b(\s+\S+){0,4}\s+(stenen|steen|fles|flessen|vuurwerk|stoel)\b|\b(stenen|fles|flessen|vuurwerk|stoel)\b(\s+\S+){0,6}\s+(gooi\w*|gegooid|ingegooid)\b|\bingegooid\b"),
    _r("bedreiging", r"\b(bonkt|bonken|beukt|beuken|trapt|schopt)\b(\s+\S+){0,3}\s+(mijn|onze)\s+(voor)?deur\b|\b(mijn|onze)\s+(voor)?deur\b(\s+\S+){0,4}\s+(bonkt|bonken|beukt|beuken|trapt)\b"),
    _r("bedreiging", r"\b(contactverbod|straatverbod|huisverbod|doodsbang)\b"),
    # --- someone needs help now --------------------------------------------------------------
    _r("hulp roepen", r"\bom hulp\b(?!\s+(te\s+)?vragen)|\bhulp roep\w*\b|\bhelp\b|\bzwak roepen\b|\broept\b(\s+\S+){0,3}\s+hulp\b"),
    _r("gevallen", r"\bgevallen\b(\s+\S+){0,6}\s+(niet|nie)\s+(meer\s+)?(op)?staan\b|\bkan (ze |hij )?niet (meer )?opstaan\b"),
    _r("reageert niet", r"\breageert?\b(\s+\S+){0,3}\s+(niet|nergens)\b|\balarm\w*\b(\s+\S+){0,5}\s+geen contact\b|\bbuiten westen\b|\bbewusteloos\b|\boverdosis\b"),
    _r("suicidegevaar", r"\beind(e)? aan\b(\s+\S+){0,3}\s+maken\b|\bzelfmoord\w*\b|\bsuicid\w*\b|\b(niet|nie) meer (wil(len)? )?leven\b|\bwil (niet|nie) meer leven\b|\bgaat springen\b|\bwil springen\b|\bliever dood\b"),
    _r("suicidegevaar", r"\bzichzelf iets\b(\s+\S+){0,2}\s+(aan\s?(te\s+)?doen|aandoen)\b|\bals (hij|ik|ze|zij) er niet meer (was|is|ben|zou zijn)\b"),
    _r("verward buiten", r"\bweet\s+(niet|nie)\s+(meer\s+)?waar\s+(ze|hij|zij)\s+woont\b|\bin\s+(haar|zijn)\s+(nachtjapon|ondergoed|pyjama|nachtkleding)\b"),
    # --- someone not seen for days -----------------------------------------------------------
    _r("niet gezien", r"(?<!jaar )(?<!maanden )\b(niet|nie)\s+(meer\s+)?gezien\b"),
    _r("doet niet open", r"\bdoet\b(\s+\S+){0,2}\s+(niet|nie)\s+(meer\s+)?open\b|\bneemt\b(\s+\S+){0,5}\s+(niet|nie)\s+op\b"),
    _r("post stapelt zich op", r"\b(post|brievenbus|kranten?)\b(\s+\S+){0,4}\s+(stapelt|stapelen|puilt|uitpuilt|zit\s+(helemaal\s+)?vol)\w*\b|\bpuilt uit\b"),
    _r("gordijnen dicht", r"\bgordijnen\b(\s+\S+){0,4}\s+dicht\b"),
    _r("post stapelt zich op", r"\b(krant|kranten|melk|post)\b(\s+\S+){0,2}\s+(ligt|liggen|staat|staan)\s+(nog\s+)?(voor de deur|op de mat)\b"),
    _r("lijklucht", r"\bmaden\b(\s+\S+){0,4}\s+(onder|uit)\b|\bzoete lucht\b|\blijklucht\b"),
    # --- break-in in progress ----------------------------------------------------------------
    _r("inbraak bezig", r"\bnu\s+(\w+\s+)?ingebroken\b|\b(nu|net)\s+aan het inbreken\b|\binbrekers?\b(\s+\S+){0,2}\s+(nu|net)\b|\bmorrel\w*\b"),
)


def _negated(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 20) : match.start()]
    return bool(_NEGATION_BEFORE.search(before) or _NEGATION_INSIDE.search(match.group(0)))


_PUNCTUATION = re.compile(r"[^\w\s-]+|(?<!\s)-|-(?!\d)")
_SPACES = re.compile(r"\s+")


def find_urgent_trigger(normalised_text: str) -> RuleMatch | None:
    """First rule that fires on an already normalised text, or ``None``.

    Punctuation is replaced by spaces first (a minus sign before a number is kept: "-5 graden")."""
    text = _SPACES.sub(" ", _PUNCTUATION.sub(" ", normalised_text)).strip()
    for rule in RULES:
        for match in rule.pattern.finditer(text):
            if rule.negatable and _negated(text, match):
                continue
            return RuleMatch(label=rule.label, matched=match.group(0).strip())
    heating = _HEATING.search(text)
    frost = _FROST.search(text)
    if heating and frost:
        return RuleMatch(label="geen verwarming bij vorst", matched=f"{heating.group(0)} … {frost.group(0)}")
    return None
