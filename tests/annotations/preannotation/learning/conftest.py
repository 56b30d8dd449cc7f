"""A tiny hand-written gold set and the models trained on it once per test session (seconds)."""

import pytest

from annotations.preannotation.learning import serving
from annotations.preannotation.learning.entity_sentiment import EntitySentimentModel
from annotations.preannotation.learning.ner import NerModel

ENTITY_TYPES = ["PER", "ORG", "LOC", "MISC"]
SCALE = ["negative", "neutral", "positive"]


@pytest.fixture(autouse=True)
def fresh_predictor_cache():
    """Live predictors are cached by version id, and a rolled-back test may hand its ids on."""
    serving.live_version_predictor.cache_clear()
    yield
    serving.live_version_predictor.cache_clear()


def spans(text, *marked):
    """(text, spans) from (mention, label) pairs, each mention found at its first free place."""
    found, cursor = [], {}
    for mention, label in marked:
        start = text.index(mention, cursor.get(mention, 0))
        cursor[mention] = start + len(mention)
        found.append((start, start + len(mention), label))
    return text, found


NER_TRAIN = [
    spans("Leeds beat Chelsea 2-1 at Elland Road on Saturday.",
          ("Leeds", "ORG"), ("Chelsea", "ORG"), ("Elland Road", "LOC")),
    spans("Maria Lopez met union leaders in Madrid on Monday.", ("Maria Lopez", "PER"), ("Madrid", "LOC")),
    spans("Shares of Norvik Energy fell after the German regulator opened an inquiry.",
          ("Norvik Energy", "ORG"), ("German", "MISC")),
    spans("Arsenal signed the Brazilian striker Paulo Mendes from Santos.",
          ("Arsenal", "ORG"), ("Brazilian", "MISC"), ("Paulo Mendes", "PER"), ("Santos", "ORG")),
    spans("Flooding closed roads across Bavaria and northern Austria.", ("Bavaria", "LOC"), ("Austria", "LOC")),
    spans("Prime Minister Helen Carter visited Nairobi ahead of the Commonwealth summit.",
          ("Helen Carter", "PER"), ("Nairobi", "LOC"), ("Commonwealth", "MISC")),
    spans("Reuters reported that Baltic Freight Lines cut 300 jobs in Riga.",
          ("Reuters", "ORG"), ("Baltic Freight Lines", "ORG"), ("Riga", "LOC")),
    spans("Liverpool drew 1-1 with Everton at Anfield.", ("Liverpool", "ORG"), ("Everton", "ORG"), ("Anfield", "LOC")),
    spans("The French president Louis Marchand spoke in Lyon on Friday.",
          ("French", "MISC"), ("Louis Marchand", "PER"), ("Lyon", "LOC")),
    spans("Coach Tomas Berg said Malmo deserved the win over Stockholm.",
          ("Tomas Berg", "PER"), ("Malmo", "ORG"), ("Stockholm", "ORG")),
    spans("The World Cup draw will be held in Doha in April.", ("World Cup", "MISC"), ("Doha", "LOC")),
    spans("Kestrel Bank posted record profits, chief executive Anna Weiss said in Zurich.",
          ("Kestrel Bank", "ORG"), ("Anna Weiss", "PER"), ("Zurich", "LOC")),
    spans("Police in Glasgow arrested two men after the Celtic match.", ("Glasgow", "LOC"), ("Celtic", "ORG")),
    spans("The United Nations sent aid to northern Kenya, spokesman David Osei said.",
          ("United Nations", "ORG"), ("Kenya", "LOC"), ("David Osei", "PER")),
    spans("Milan beat Juventus 3-0 and moved top of Serie A.",
          ("Milan", "ORG"), ("Juventus", "ORG"), ("Serie A", "MISC")),
    spans("Japanese carmaker Hoshino Motors will build a plant in Ohio.",
          ("Japanese", "MISC"), ("Hoshino Motors", "ORG"), ("Ohio", "LOC")),
    spans("Senator Grace Dunn criticised the Treasury over the budget.", ("Grace Dunn", "PER"), ("Treasury", "ORG")),
    spans("Barcelona lost to Sevilla in front of 80,000 fans in Barcelona.",
          ("Barcelona", "ORG"), ("Sevilla", "ORG"), ("Barcelona", "LOC")),
    spans("Wildfires spread near Athens as Greek firefighters battled the flames.",
          ("Athens", "LOC"), ("Greek", "MISC")),
    spans("Peter Hall of Orion Logistics told the Associated Press prices would rise.",
          ("Peter Hall", "PER"), ("Orion Logistics", "ORG"), ("Associated Press", "ORG")),
    spans("Ajax thrashed Utrecht 5-1 in Amsterdam on Sunday.",
          ("Ajax", "ORG"), ("Utrecht", "ORG"), ("Amsterdam", "LOC")),
    spans("The Olympic torch arrived in Marseille, mayor Claire Dubois said.",
          ("Olympic", "MISC"), ("Marseille", "LOC"), ("Claire Dubois", "PER")),
    spans("Talks between Siemens and the Indian government stalled in New Delhi.",
          ("Siemens", "ORG"), ("Indian", "MISC"), ("New Delhi", "LOC")),
    spans("Striker James Okafor scored twice as Leicester beat Newcastle.",
          ("James Okafor", "PER"), ("Leicester", "ORG"), ("Newcastle", "ORG")),
    spans("The European Commission fined Veltra Pharma in Brussels.",
          ("European Commission", "ORG"), ("Veltra Pharma", "ORG"), ("Brussels", "LOC")),
    spans("Farmers in Ontario protested as Canadian wheat prices fell.", ("Ontario", "LOC"), ("Canadian", "MISC")),
]
NER_HELD_OUT = [
    spans("Chelsea beat Arsenal 2-0 at Stamford Bridge on Tuesday.",
          ("Chelsea", "ORG"), ("Arsenal", "ORG"), ("Stamford Bridge", "LOC")),
    spans("Foreign minister Ines Romero arrived in Lisbon on Monday.", ("Ines Romero", "PER"), ("Lisbon", "LOC")),
    spans("Shares of Harbor Steel rose after the Italian regulator approved the deal.",
          ("Harbor Steel", "ORG"), ("Italian", "MISC")),
    spans("Coach Martin Keller said Hamburg deserved the win over Bremen.",
          ("Martin Keller", "PER"), ("Hamburg", "ORG"), ("Bremen", "ORG")),
]

SENTIMENT_TRAIN = []
# Every verb meets every tail, so only the verb around each mention can decide its label.
TAILS = ["on Tuesday.", "in a tense match.", "after extra time.", "at home.", "in the final.", "last season."]
for pair_number, (first, second) in enumerate([("Leeds", "Chelsea"), ("Arsenal", "Everton"), ("Roma", "Napoli"),
                                               ("Ajax", "PSV"), ("Porto", "Benfica"), ("Lyon", "Nantes")]):
    for verb_number, (verb, first_label, second_label) in enumerate([
            ("beat", "positive", "negative"), ("thanked", "neutral", "positive"),
            ("accused", "neutral", "negative"), ("met", "neutral", "neutral"),
            ("lost to", "negative", "positive")]):
        tail = TAILS[(pair_number + verb_number) % len(TAILS)]
        text = f"{first} {verb} {second} {tail}"
        second_start = len(first) + len(verb) + 2
        SENTIMENT_TRAIN.append((text, (0, len(first)), first_label))
        SENTIMENT_TRAIN.append((text, (second_start, second_start + len(second)), second_label))


@pytest.fixture(scope="session")
def ner_model():
    return NerModel.train(NER_TRAIN, ENTITY_TYPES, seed=0, settings={"epochs": 20, "max_seconds": 60})


@pytest.fixture(scope="session")
def sentiment_model():
    return EntitySentimentModel.train(SENTIMENT_TRAIN, SCALE, seed=0)
