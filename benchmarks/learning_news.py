"""Wire-copy news with entity and entity-sentiment gold, for the learning benchmark.

Stories in four beats (sport, markets, politics, local news) written the way agency copy is: a
dateline with the agency, a lead, quotes attributed to people, second mentions by surname.
Entities are CoNLL-2003-like: PER, ORG, LOC, MISC, where a sports team named after its city is
an ORG (the shipped model calls it a GPE) and a nationality or a competition is MISC.

What keeps it from being easy:
- every relation has several verbs and voices ("Leeds beat Hull", "Hull were beaten by Leeds",
  "Hull suffered a defeat against Leeds"), so a side's label is not read off one word;
- one sentence often holds entities with opposite labels, and VADER's lexicon often misses the
  polarity of sports and market verbs, or gives the whole sentence one tone;
- names are drawn from large pools (thousands of person names, hundreds of companies), so most
  held-out names never occur in training, and a city is a LOC in one sentence and an ORG (its
  team) in the next;
- the gold is a person's: ``SENTIMENT_NOISE`` of entity sentiments differ from the template's.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

FIRST = ("Maria Anna Elena Sofia Laura Julia Sarah Emma Olga Irina Fatima Aisha Mei Yuki Priya Ana Clara Ines Nadia "
         "Ingrid Helen Grace Claire Lucia Marta Zofia Amara Leila Hana Rosa Chloe Vera Alice Nora Beatriz Daniela "
         "John James David Peter Thomas Michael Paul Mark Daniel Carlos Luis Pedro Jose Marco Luca Hans Stefan Jan "
         "Piotr Ivan Sergei Ahmed Omar Ali Kenji Hiroshi Wei Raj Arjun Kwame Tunde Samuel Joseph Tomas Erik Lars "
         "Henrik Pablo Diego Andre Felipe Mateus Yusuf Emre Viktor Oscar Hugo Felix Anton "
         # First names that are also places: the shipped model's classic confusion.
         "Chelsea Paris Jordan Georgia Victoria Austin Sydney Dallas Madison Florence").split()
LAST = ("Smith Jones Brown Taylor Wilson Evans Walker Hughes Carter Dunn Hall Weiss Keller Berg Muller Schmidt "
        "Fischer Lopez Garcia Martinez Rossi Bianchi Romano Moreau Dubois Laurent Marchand Novak Kowalski Nowak "
        "Horvat Petrov Ivanova Sokolov Yilmaz Demir Kaya Okafor Mensah Osei Adeyemi Kamau Otieno Tanaka Sato "
        "Suzuki Nakamura Kim Park Chen Wang Liu Zhang Singh Patel Sharma Gupta Khan Hussain Rahman Haddad "
        "Nasser Mendes Silva Santos Costa Pereira Almeida Fernandes Jensen Hansen Nielsen Larsen Lindqvist "
        "Virtanen Korhonen Murphy Kelly Byrne Walsh Reyes Cruz Morales Vargas Castillo Ortega Delgado Herrera "
        "Sandoval Bauer Wagner Hoffmann Richter Vogel Brandt Lange Krause Zimmermann "
        "Lincoln Washington London Holland England Milan").split()
CITIES = ("London Paris Berlin Madrid Rome Milan Turin Naples Lyon Marseille Lille Nantes Bordeaux Munich Hamburg "
          "Bremen Cologne Leipzig Dortmund Vienna Zurich Basel Geneva Amsterdam Rotterdam Utrecht Brussels Antwerp "
          "Lisbon Porto Seville Valencia Bilbao Barcelona Warsaw Krakow Prague Budapest Bucharest Sofia Athens "
          "Istanbul Ankara Cairo Nairobi Lagos Accra Johannesburg Dakar Tunis Dubai Doha Riyadh Tehran Karachi "
          "Mumbai Delhi Chennai Dhaka Bangkok Hanoi Jakarta Manila Seoul Tokyo Osaka Beijing Shanghai Sydney "
          "Melbourne Auckland Toronto Montreal Vancouver Chicago Boston Denver Seattle Houston Dallas Atlanta "
          "Miami Detroit Leeds Liverpool Manchester Newcastle Leicester Southampton Glasgow Edinburgh Cardiff "
          "Dublin Cork Oslo Bergen Stockholm Gothenburg Malmo Copenhagen Aarhus Helsinki Tampere Riga Vilnius "
          "Tallinn Kyiv Lviv Minsk Belgrade Zagreb Split Ljubljana Bratislava Graz Salzburg Santiago Lima Bogota "
          "Quito Caracas Montevideo Rosario Cordoba Recife Salvador").split()
COUNTRIES = {"France": "French", "Germany": "German", "Italy": "Italian", "Spain": "Spanish", "Portugal": "Portuguese",
             "Poland": "Polish", "Greece": "Greek", "Turkey": "Turkish", "Egypt": "Egyptian", "Kenya": "Kenyan",
             "Nigeria": "Nigerian", "Ghana": "Ghanaian", "Japan": "Japanese", "China": "Chinese", "India": "Indian",
             "Pakistan": "Pakistani", "Brazil": "Brazilian", "Argentina": "Argentine", "Mexico": "Mexican",
             "Canada": "Canadian", "Australia": "Australian", "Sweden": "Swedish", "Norway": "Norwegian",
             "Finland": "Finnish", "Denmark": "Danish", "Austria": "Austrian", "Hungary": "Hungarian",
             "Romania": "Romanian", "Ukraine": "Ukrainian", "Russia": "Russian", "Iran": "Iranian",
             "Indonesia": "Indonesian", "Vietnam": "Vietnamese", "Chile": "Chilean", "Peru": "Peruvian",
             "Colombia": "Colombian", "Ireland": "Irish", "Belgium": "Belgian", "Netherlands": "Dutch",
             "Serbia": "Serbian", "Croatia": "Croatian", "South Korea": "South Korean", "Thailand": "Thai"}
COMPANY_ROOTS = ("Norvik Kestrel Orion Veltra Harbor Baltic Solano Arden Meridian Atlas Corvid Halden Lumera Tessaly "
                 "Brightwater Northgate Silverline Castellan Vantor Aurelia Quorra Stellan Granite Tidewater "
                 "Ironbridge "
                 "Bluecrest Redmoor Falkon Zephyr Crestline Novagen Pantera Altamira Greyhaven Marlow Oakridge Sunvale "
                 "Westbrook Everfield Pinecrest Rhodia Calloway Danbury Elmstead Fairhaven Glenmore Hartwell Kingsley "
                 "Lindale Monarch Nordhavn Osprey Pelham Quillon Rosendal Sterling Thornbury Umbra Valmont Wexford "
                 "Yarrow Zenith Amberly Brennan Coriander Delmar Estrada Fenwick Galloway").split()
# Clubs are often named after their city with a word around it; the name is an ORG as a whole.
TEAM_PATTERNS = ["{}", "{}", "{}", "{} United", "{} City", "Real {}", "Dynamo {}", "{} FC", "Sporting {}", "AS {}"]
COMPANY_SUFFIXES = ["", "", "", " Inc", " AG", " SA", " Plc", " Ltd"]
COMPANY_KINDS = ("Energy Bank Holdings Motors Airlines Group Pharma Telecom Steel Foods Mining Logistics Insurance "
                 "Shipping Chemicals Capital Systems Retail").split()
AGENCIES = ["Reuters", "the Associated Press", "Agence France-Presse", "Bloomberg", "Xinhua", "Kyodo", "Anadolu", "dpa"]
DATELINE_AGENCIES = ["Reuters", "Reuters", "Reuters", "Bloomberg", "Agence France-Presse", "Xinhua", "Kyodo"]
REGULATORS = ["the European Commission", "the Federal Reserve", "the World Bank", "the IMF", "the United Nations",
              "NATO", "the European Central Bank", "the World Health Organization", "UEFA", "FIFA", "the Red Cross",
              "the African Union", "the OECD", "Amnesty International", "the Bank of England"]
EVENTS = ["World Cup", "Olympics", "Champions League", "Europa League", "Davos forum", "G20 summit",
          "Commonwealth Games", "Tour de France", "Africa Cup of Nations", "COP climate talks"]
LEAGUES = ["Premier League", "Serie A", "La Liga", "Bundesliga", "Ligue 1", "Eredivisie", "Super Lig"]
VENUES = ["Elland Road", "Anfield", "Stamford Bridge", "San Siro", "the Allianz Arena", "the Parc des Princes",
          "Wembley", "Celtic Park", "the Olympic Stadium", "the Johan Cruyff Arena"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday",
        "late on Sunday", "this week", "last week", "overnight"]
MONTHS = "January February March April May June July August September October November December".split()
# Share of entity sentiments a person labels otherwise than the template says.
SENTIMENT_NOISE = 0.06
# Share of names and templates training stories may use; held-out stories use all of them.
TRAIN_SHARE = 0.75
SCALE = ["negative", "neutral", "positive"]
ENTITY_TYPES = ["PER", "ORG", "LOC", "MISC"]
LABEL_OF_KIND = {"team": "ORG", "person": "PER", "surname": "PER", "city": "LOC", "country": "LOC",
                 "company": "ORG", "agency": "ORG", "regulator": "ORG", "nationality": "MISC", "event": "MISC",
                 "league": "MISC", "venue": "LOC", "dateline": "LOC"}

# Verbs by what they say about the first and the second entity; the sentence templates pick one.
WIN = ["beat", "defeated", "thrashed", "edged past", "overcame", "saw off", "came from behind to beat", "routed",
       "eased past", "stunned"]
LOSE_PASSIVE = ["were beaten by", "lost to", "suffered a defeat against", "went down to", "were knocked out by",
                "slumped to a loss against", "were held off by"]
RISE = ["rose", "jumped", "climbed", "gained", "surged", "rallied", "edged higher"]
FALL = ["fell", "dropped", "slid", "tumbled", "sank", "slumped", "lost ground"]
ATTACK = ["accused", "criticised", "condemned", "blamed", "attacked", "rebuked", "denounced"]
PRAISE = ["praised", "thanked", "welcomed the support of", "congratulated", "backed", "hailed", "commended"]
MEET = ["met", "held talks with", "spoke with", "hosted", "received", "visited"]


@dataclass
class Story:
    """A story's cast: each role's entity kept for the whole story."""

    rng: random.Random
    pools: dict
    cast: dict = field(default_factory=dict)

    def value(self, role: str, kind: str) -> str:
        if role not in self.cast:
            self.cast[role] = self._draw(kind)
        return self.cast[role]

    def _draw(self, kind: str) -> str:
        rng, pools = self.rng, self.pools
        taken = set(self.cast.values())
        for _ in range(50):
            value = {
                "team": lambda: rng.choice(TEAM_PATTERNS).format(rng.choice(pools["cities"])),
                "city": lambda: rng.choice(pools["cities"]),
                "person": lambda: f"{rng.choice(pools['first'])} {rng.choice(pools['last'])}",
                "country": lambda: rng.choice(list(COUNTRIES)),
                "company": lambda: (f"{rng.choice(pools['roots'])} {rng.choice(COMPANY_KINDS)}"
                                    f"{rng.choice(COMPANY_SUFFIXES)}"),
                "agency": lambda: rng.choice(AGENCIES), "regulator": lambda: rng.choice(REGULATORS),
                "event": lambda: rng.choice(EVENTS), "league": lambda: rng.choice(LEAGUES),
                "venue": lambda: rng.choice(VENUES),
            }[kind]()
            if value not in taken:
                return value
        return value


# Sentence templates. "{ROLE:kind:tone}" is an entity (tone: + positive, - negative, 0 neutral
# toward it); "{ROLE:surname:tone}" and "{ROLE:nationality:tone}" refer to a person's or a
# country's role; lowercase "{word}" slots are filled from the verb and detail pools.
SPORT_LEADS = [
    "{A:team:+} {win} {B:team:-} {score} {day} to go top of the {L:league:0}.",
    "{B:team:-} {lose} {A:team:+} {score} at {V:venue:0} {day}.",
    "A late goal from {P:person:+} gave {A:team:+} a {score} win over {B:team:-} {day}.",
    "{A:team:+} {win} {B:team:-} {score}, leaving {B:team:-} in the relegation zone.",
    "{B:team:-} crashed out of the {E:event:0} after they {lose} {A:team:+} {score}.",
    "{A:team:0} and {B:team:0} drew {draw} in a tight {L:league:0} game at {V:venue:0} {day}.",
]
SPORT_MORE = [
    "{P:person:+} scored twice for {A:team:0} in the first half.",
    "{Q:person:-} was sent off early in the second half as {B:team:-} struggled.",
    "{A:team:+} coach {C:person:0} said his players had been outstanding.",
    "{B:team:0} manager {D:person:-} was booed by fans after the final whistle.",
    "\"We were simply not good enough,\" {D:surname:0} told reporters.",
    "\"It was a great night for the club,\" said {C:surname:0}, whose side have now won five in a row.",
    "{Q:surname:-} missed a penalty and {B:team:-} never recovered.",
    "The {N:nationality:0} striker {P:surname:+} has now scored 14 goals this season.",
    "{A:team:0} travel to {T:city:0} next week to face {F:team:0}.",
    "Police in {T:city:0} arrested several {B:team:-} fans after clashes outside the ground.",
    "{A:team:+} are unbeaten in eight matches, while {B:team:-} have lost four in a row.",
    "{B:team:-} have now conceded 30 goals, more than any side in the {L:league:0}.",
    "{F:team:0} play {G:team:0} at {V:venue:0} {day}.",
    "{P:surname:+} was named man of the match by {R:regulator:0}.",
]
MARKET_LEADS = [
    "Shares in {C:company:+} {rise} {pct} percent {day} after the company raised its profit forecast.",
    "{C:company:-} shares {fall} {pct} percent after the {X:nationality:0} regulator opened an inquiry.",
    "{C:company:+} {rise} {pct} percent while {D:company:-} {fall} {pct} percent in {T:city:0} trading.",
    "{R:regulator:0} fined {C:company:-} {n} million euros for breaking competition rules.",
    "{C:company:0} agreed to buy {D:company:0} for {n} billion dollars, the companies said {day}.",
    "{C:company:-} warned that profits would fall as demand in {X:country:0} weakened.",
]
MARKET_MORE = [
    "Chief executive {P:person:-} resigned amid an accounting scandal at {C:company:-}.",
    "Analysts at {D:company:0} praised {C:company:+}'s results, calling them the best in a decade.",
    "{P:person:0}, an analyst at {D:company:0}, said the outlook for {C:company:+} was improving.",
    "{C:company:-} will cut {n} jobs in {X:country:0}, a spokeswoman told {G:agency:0}.",
    "\"The numbers speak for themselves,\" {P:surname:0} said in a statement.",
    "The company, based in {T:city:0}, employs about {n},000 people.",
    "Rival {D:company:-} has lost market share to {C:company:+} for three straight quarters.",
    "{C:company:+} beat analysts' expectations, while {D:company:-} missed them.",
    "Investors fled {D:company:-} after it delayed its results for a second time.",
    "{C:company:0} is expected to report full-year figures in {month}.",
    "{R:regulator:0} cleared {C:company:+} of any wrongdoing {day}.",
    "{Y:country:0} remains the biggest market for {C:company:0}.",
]
POLITICS_LEADS = [
    "{P:person:0} {attack} {Q:person:-} of lying about the budget {day}.",
    "{X:country:0} {attack} {Y:country:-} over its missile test, the foreign ministry said.",
    "{P:person:0} {praise} {Q:person:+} after the two leaders signed a trade deal in {T:city:0}.",
    "{P:person:+} won the presidential election in {X:country:0} with {pct} percent of the vote.",
    "{P:person:0} {meet} {Q:person:0} in {T:city:0} {day} for talks on energy.",
    "Protesters in {T:city:0} demanded the resignation of {P:person:-} after the corruption verdict.",
]
POLITICS_MORE = [
    "{Q:surname:-} has been accused of taking bribes from {C:company:-}.",
    "\"This is a victory for the people,\" {P:surname:0} told supporters.",
    "{P:surname:0} said {Y:country:-} had broken the ceasefire, a charge {Y:country:0} denied.",
    "The {X:nationality:0} government welcomed the decision by {R:regulator:+} to release the funds.",
    "{Q:surname:0} is due to visit {Y:country:0} in {month}.",
    "Opposition leader {S:person:-} was arrested in {T:city:0} {day}, his party said.",
    "{R:regulator:0} said it was deeply concerned by the crackdown in {X:country:-}.",
    "Talks between {X:country:0} and {Y:country:0} will resume at the {E:event:0}.",
    "{S:person:0}, a {X:nationality:0} diplomat, told {G:agency:0} the talks had gone well.",
    "{P:surname:+} was praised for his handling of the crisis, while {Q:surname:-} faced calls to resign.",
    "The ruling party of {P:surname:0} lost its majority in {T:city:0}.",
]
LOCAL_LEADS = [
    "Floods killed {n} people in {T:city:-} {day}, officials said.",
    "A fire destroyed a warehouse owned by {C:company:0} near {T:city:0} {day}.",
    "Rescuers from {R:regulator:+} saved dozens of people trapped by floods in {X:country:0}.",
    "Police in {T:city:0} arrested {P:person:-} on suspicion of fraud {day}.",
    "{T:city:+} was named the best place to live in {X:country:0} for the third year running.",
    "A court in {T:city:0} jailed {P:person:-} for {n} years for bribing officials at {C:company:-}.",
]
LOCAL_MORE = [
    "Mayor {P:person:+} thanked volunteers who worked through the night.",
    "{C:company:+} donated {n} million euros to the relief effort.",
    "Residents blamed {C:company:-} for years of neglect of the dam.",
    "\"We have lost everything,\" said {Q:person:0}, a shopkeeper.",
    "The {X:nationality:0} army sent troops to help, {G:agency:0} reported.",
    "{P:surname:0} said the city would need months to recover.",
    "Judge {Q:person:0} said {P:surname:-} had shown no remorse.",
    "{R:regulator:+} praised the emergency services for their quick response.",
    "Officials in {U:city:0} said the storm was expected to reach them {day}.",
    "{C:company:-} faces lawsuits from residents of {T:city:0}.",
]
# Sentences any story may hold: wire credits, hedges, no-comments.
BACKGROUND = [
    "Officials declined to comment {day}.", "The figures have not been independently verified.",
    "More details are expected later this week.", "The decision is likely to be challenged in court.",
    "Trading was thin ahead of the holiday weekend.", "Both sides said the talks would continue.",
    "Further talks are planned for {month}.", "Reporting by {Z:person:0}; editing by {W:person:0}.",
    "{Z:person:0} contributed reporting from {U:city:0}.", "A spokesman for {K:company:0} declined to comment.",
    "It was not immediately clear how many people were affected.",
    "The ministry did not respond to a request for comment.", "Prices in {U:city:0} have risen sharply since {month}.",
    "The Interior Ministry said an investigation was under way.", "Local media reported a similar case last year.",
    "Writing by {Z:person:0} in {U:city:0}.", "The announcement came as a surprise to many in the industry.",
    "Several people were treated in hospital, the fire service said.",
]
# Openings and endings wrapped around story sentences, so no template always looks the same.
OPENINGS = ["Earlier, ", "Meanwhile, ", "In a statement, ", "According to {G:agency:0}, ", "Separately, ",
            "As expected, ", "In {U:city:0}, ", "Late on Friday, ", "On the same day, "]
ENDINGS = [", {G:agency:0} reported.", ", officials said.", ", according to people familiar with the matter.",
           ", {Z:person:0} said.", ", a source told {G:agency:0}.", ", the report said."]
# Share of sentences given an opening, an ending; share of gold entities an annotator missed.
OPENING_SHARE, ENDING_SHARE, SPAN_MISSED = 0.25, 0.25, 0.02
BEATS = [(SPORT_LEADS, SPORT_MORE), (MARKET_LEADS, MARKET_MORE), (POLITICS_LEADS, POLITICS_MORE),
         (LOCAL_LEADS, LOCAL_MORE)]
_SLOT = re.compile(r"\{(\w+)(?::(\w+):([-+0]))?\}")
_TONE = {"+": "positive", "-": "negative", "0": "neutral"}


@dataclass
class NewsDocument:
    text: str
    spans: list  # (start, end, label)
    targets: list  # ((start, end), sentiment)


def _word(slot: str, rng: random.Random) -> str:
    if slot == "score":
        return f"{rng.randint(1, 5)}-{rng.randint(0, 1)}"
    if slot == "draw":
        return rng.choice(["0-0", "1-1", "2-2"])
    return {
        "win": lambda: rng.choice(WIN), "lose": lambda: rng.choice(LOSE_PASSIVE), "rise": lambda: rng.choice(RISE),
        "fall": lambda: rng.choice(FALL), "attack": lambda: rng.choice(ATTACK), "praise": lambda: rng.choice(PRAISE),
        "meet": lambda: rng.choice(MEET), "day": lambda: rng.choice(DAYS), "month": lambda: rng.choice(MONTHS),
        "pct": lambda: str(rng.randint(2, 19)), "n": lambda: str(rng.randint(3, 900)),
    }[slot]()


def _mention(story: Story, role: str, kind: str) -> str:
    if kind == "surname":
        return story.value(role, "person").split()[-1]
    if kind == "dateline":
        return story.value(role, "city").upper()
    if kind == "nationality":
        return COUNTRIES[story.value(role, "country")]
    return story.value(role, kind)


def _render(template: str, story: Story, document: NewsDocument) -> None:
    """Append one sentence to the document, recording its entity spans and targets."""
    rng, cursor, pieces = story.rng, len(document.text), []
    last = 0
    for match in _SLOT.finditer(template):
        pieces.append(template[last:match.start()])
        last = match.end()
        role, kind, tone = match.groups()
        if kind is None:
            pieces.append(_word(role, rng))
            continue
        value = _mention(story, role, kind)
        if value.startswith("the "):  # "the IMF": the article is not part of the name
            pieces.append("The " if not "".join(pieces) else "the ")
            value = value[4:]
        start = cursor + len("".join(pieces))
        pieces.append(value)
        document.spans.append((start, start + len(value), LABEL_OF_KIND[kind]))
        label = _TONE[tone]
        if rng.random() < SENTIMENT_NOISE:
            label = rng.choice([other for other in SCALE if other != label])
        document.targets.append(((start, start + len(value)), label))
    pieces.append(template[last:])
    document.text += "".join(pieces)


def news_document(rng: random.Random, pools: dict) -> NewsDocument:
    """One story of one beat: a headline, a dateline, a lead, four to nine more sentences and one
to four background sentences."""
    story = Story(rng, pools)
    document = NewsDocument(text="", spans=[], targets=[])
    leads, more = rng.choice(pools["beats"])
    agency = rng.choice(DATELINE_AGENCIES)
    city = "{T:dateline:0}" if rng.random() < 0.7 else "{T:city:0}"  # agencies capitalise it
    story.cast["G"] = agency
    lead = rng.choice(leads)
    sentences = [lead] + rng.sample(more, rng.randint(4, min(9, len(more))))
    for sentence in rng.sample(pools["background"], rng.randint(1, 4)):
        sentences.insert(rng.randint(1, len(sentences)), sentence)
    capitals = rng.random() < 0.5
    # A first rendering casts the headline's entities; from the saved state on, the headline and
    # the lead then draw the same scores and verbs.
    _headline(lead, story, NewsDocument(text="", spans=[], targets=[]), capitals=capitals)
    state = rng.getstate()
    _headline(lead, story, document, capitals=capitals)
    _render(city + f", {rng.choice(MONTHS)} {rng.randint(1, 28)} (" + "{G:agency:0}) - ", story, document)
    rng.setstate(state)
    for number, template in enumerate(sentences):
        if number:
            document.text += "\n" if rng.random() < 0.4 else " "
            template = _varied(template, rng)
        _render(template, story, document)
    _drop_missed(document, rng)
    return document


def _varied(template: str, rng: random.Random) -> str:
    """The template with, now and then, an opening or an attribution at the end."""
    if '"' in template:
        return template
    if rng.random() < OPENING_SHARE:
        first = template[0] if template.startswith("{") else template[0].lower()
        template = rng.choice(OPENINGS) + first + template[1:]
    elif rng.random() < ENDING_SHARE and template.endswith(".") and " said" not in template:
        template = template[:-1] + rng.choice(ENDINGS)
    return template


def _drop_missed(document: NewsDocument, rng: random.Random) -> None:
    """Remove SPAN_MISSED of the gold entities (and their sentiment), as annotators miss some."""
    missed = {span[:2] for span in document.spans if rng.random() < SPAN_MISSED}
    document.spans = [span for span in document.spans if span[:2] not in missed]
    document.targets = [target for target in document.targets if target[0] not in missed]


def _headline(lead: str, story: Story, document: NewsDocument, *, capitals: bool) -> None:
    """The lead's facts as a headline line, in capitals as on the wire half of the time (CoNLL's
    headlines are so); its entities and their sentiment are gold like any other mention."""
    headline = NewsDocument(text="", spans=[], targets=[])
    _render(lead.split(",")[0].rstrip("."), story, headline)
    text = headline.text.upper() if capitals else headline.text
    if len(text) != len(headline.text):  # a capital that is two characters would move offsets
        text = headline.text
    document.text += text + "\n"
    document.spans.extend(headline.spans)
    document.targets.extend(headline.targets)


def share_of(values, share: float) -> list:
    """``share`` of ``values`` (at least one), the same every run: training stories draw on a part
    of the names and sentences, held-out ones on all."""
    values = list(values)
    random.Random(len(values)).shuffle(values)
    return values[: max(1, round(len(values) * share))]


def _pools(share: float) -> dict:
    """Names and sentence templates; with share < 1, only that share of each (the same every run)."""
    def part(values) -> list:
        return share_of(values, share)

    return {"cities": part(CITIES), "first": part(FIRST), "last": part(LAST), "roots": part(COMPANY_ROOTS),
            "beats": [(part(leads), part(more)) for leads, more in BEATS], "background": part(BACKGROUND)}


def news_corpus(size: int, seed: int = 0, held_out=lambda number: False) -> list[NewsDocument]:
    """``size`` stories, the same for a seed. Stories for which ``held_out(number)`` (from 1) is
    false draw on TRAIN_SHARE of the names and sentence templates; held-out ones on all, so
    the held-out gold has names and phrasings no training story has, as new news does."""
    rng = random.Random(seed)
    seen, everything = _pools(TRAIN_SHARE), _pools(1.0)
    return [news_document(rng, everything if held_out(number) else seen) for number in range(1, size + 1)]
