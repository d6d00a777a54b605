"""Name lists for the demo data: fictional, but sounding like a Dutch social-housing register.

Street names follow the usual Dutch themes (birds, trees, painters, resistance heroes, flowers);
surnames reflect the mix of tenants in social housing in the province of Utrecht.
"""

from __future__ import annotations

STREET_NAMES: tuple[str, ...] = (
    # birds
    "Merelstraat", "Lijsterlaan", "Spreeuwenhof", "Vinkenlaan", "Meeslaan", "Kievitstraat",
    "Reigerlaan", "Zwaluwstraat", "Spechtlaan", "Roodborstweg", "Winterkoninghof", "Buizerdlaan",
    "Haviklaan", "Valkenweg", "Uilenhof", "Eksterstraat", "Gaailaan", "Kwikstaartweg",
    "Leeuweriklaan", "Nachtegaalplein", "Patrijzenweg", "Fazantenlaan", "Wielewaalhof",
    "IJsvogelstraat", "Boomkleverlaan", "Gruttostraat", "Tureluurweg", "Scholekstershof",
    "Meeuwenlaan", "Zwanenplein", "Koekoekstraat", "Sperwerlaan",
    # trees
    "Eikenlaan", "Beukenlaan", "Lindenhof", "Berkenstraat", "Essenlaan", "Iepenweg", "Wilgenhof",
    "Populierenlaan", "Kastanjelaan", "Acaciastraat", "Platanenweg", "Elzenhof", "Larikslaan",
    "Dennenweg", "Sparrenlaan", "Hazelaarstraat", "Meidoornhof", "Vlierstraat", "Hulstlaan",
    "Taxusplein", "Esdoornlaan", "Notenlaan", "Walnootstraat", "Kersenhof", "Appelgaard",
    "Perenlaan", "Lindelaan", "Eikenhof", "Berkenweg",
    # painters
    "Rembrandtlaan", "Vermeerstraat", "Frans Halsstraat", "Jan Steenlaan", "Van Goghlaan",
    "Mondriaanplein", "Breitnerstraat", "Jozef Israëlslaan", "Mesdaglaan", "Ruysdaelstraat",
    "Hobbemalaan", "Jongkindstraat", "Jan Toorophof", "Escherweg", "Karel Appelplein",
    "Corneillestraat", "Ter Borchlaan", "Pieter de Hoochstraat", "Van Goyenlaan", "Paulus Potterstraat",
    "Weissenbruchlaan", "Anton Mauvelaan", "Jacob Marisstraat", "Gerard Doustraat", "Saenredamhof",
    "Charley Toorophof",
    # resistance heroes
    "Hannie Schaftstraat", "Johannes Postlaan", "Titus Brandsmaplein", "Gerrit van der Veenstraat",
    "Walraven van Hallstraat", "Corrie ten Boomhof", "Anton de Komplein", "Jan Campertlaan",
    "Marinus Poststraat", "Truus Oversteegenhof", "Hein Sietsmalaan", "Koos Vorrinkstraat",
    "Frits Ruyslaan", "Henk Sneevlietweg", "Jan Verleunstraat", "Theo Dobbestraat",
    "Reina Prinsen Geerligshof", "Geertruida Wijsmullerlaan", "Frieda Belinfantehof",
    "Joop Westerweelstraat", "Mies Boissevainlaan", "Bram van der Stokstraat",
    # flowers and plants
    "Tulpenstraat", "Rozenlaan", "Narcissenhof", "Krokusweg", "Hyacintenlaan", "Anjerstraat",
    "Goudsbloemlaan", "Zonnebloemstraat", "Klaproosweg", "Korenbloemhof", "Madeliefstraat",
    "Viooltjesweg", "Lelielaan", "Irisstraat", "Dahliahof", "Seringenlaan", "Jasmijnstraat",
    "Lavendelhof", "Akeleistraat", "Sneeuwklokjeweg", "Boterbloemlaan", "Klaverweg", "Heidelaan",
    "Margrietstraat", "Vergeet-mij-nietjeshof", "Zonnedauwlaan", "Kamillestraat", "Bremhof",
    "Fuchsiastraat", "Begonialaan", "Primulahof", "Ranonkelstraat", "Lupinelaan", "Akkerwindehof",
    # other common ones
    "Schoolstraat", "Kerkplein", "Molenweg", "Dorpsstraat", "Julianalaan", "Beatrixstraat",
    "Wilhelminaplein", "Oranjelaan", "Nassaustraat", "Stationsweg", "Slotlaan", "Torenlaan",
)

# Surnames with their origin; the weights below decide the mix.
DUTCH_SURNAMES: tuple[str, ...] = (
    "de Vries", "Jansen", "de Jong", "van den Berg", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
    "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok",
    "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn",
    "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven", "Hoekstra",
    "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Peeters",
    "de Kok", "van Dijk", "Kuipers", "Veenstra", "Post", "Kramer", "van Wijk", "Timmermans", "Groen",
    "Gerritsen", "Boersma", "Lammers", "Verbeek", "Scholten", "van Rijn", "Wouters", "Hermans",
    "Brink", "Koning", "Vink", "Hofman", "Bosman", "Evers", "Martens", "van der Velden", "Hoogendoorn",
    "van Doorn", "Schipper", "de Lange", "Driessen", "Sanders", "Molenaar", "van Ommen", "Roelofs",
    "van Schaik", "Versteeg", "Zwart", "van Essen", "ter Horst", "van 't Hof",
)
MOROCCAN_SURNAMES: tuple[str, ...] = (
    "El Amrani", "Bouzid", "Benali", "El Idrissi", "Azzouzi", "Boukhari", "Ouali", "Chakir",
    "El Khatib", "Ait Taleb", "Tahiri", "Ziani", "El Haddouchi", "Aouragh", "Bakkali", "Hamdaoui",
    "Boulahrouz", "El Mourabit", "Achahbar", "Bouchtaoui",
)
TURKISH_SURNAMES: tuple[str, ...] = (
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan", "Doğan",
    "Kılıç", "Koç", "Kurt", "Özdemir", "Aksoy", "Erdoğan", "Polat", "Güneş",
)
SURINAMESE_SURNAMES: tuple[str, ...] = (
    "Wijngaarde", "Pinas", "Biharie", "Ramdin", "Sewdien", "Baldewsingh", "Kartosen", "Soekhai",
    "Doelwijt", "Amatsaleh", "Lont", "Kromodimedjo", "Ramautar", "Tjin-A-Tsoi", "Panka", "Mangal",
)
POLISH_SURNAMES: tuple[str, ...] = (
    "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamińska", "Lewandowski", "Zieliński",
    "Szymański", "Woźniak", "Dąbrowski", "Kozłowska",
)
OTHER_SURNAMES: tuple[str, ...] = (
    "Haddad", "Al-Khatib", "Tesfay", "Ghebremedhin", "Mohamud", "Haile", "Nguyen", "Martina",
    "Rosaria", "Isenia", "Al-Hassan", "Abdi", "Popescu", "Ivanova",
)

SURNAME_GROUPS: tuple[tuple[tuple[str, ...], float], ...] = (
    (DUTCH_SURNAMES, 0.70),
    (MOROCCAN_SURNAMES, 0.09),
    (TURKISH_SURNAMES, 0.08),
    (SURINAMESE_SURNAMES, 0.06),
    (POLISH_SURNAMES, 0.03),
    (OTHER_SURNAMES, 0.04),
)

# Initials, roughly by frequency of Dutch first names (J, M and A first).
INITIALS: str = "JJJMMMAAAHHSSPPCCRRWWEEKKLLNNTTBBDDFGGIY"

DUTCH_SURNAME_PREFIXES: tuple[str, ...] = ("van 't ", "van den ", "van der ", "van de ", "van ", "de ", "ter ", "ten ", "den ")
