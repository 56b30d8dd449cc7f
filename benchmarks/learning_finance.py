"""Financial wire copy with document-sentiment gold, for the learning benchmark.

Short company stories as agencies write them: a headline, a dated lead that carries the news,
one to six more sentences. The gold is the news for the company's investors (negative,
neutral, positive), as financial sentiment sets label it, and about half of the stories are
neutral (results dates, appointments, routine filings), as on a real wire.

What keeps the tone words from giving the label away (and VADER below the majority class):
- good news told in bad words ("narrowed its loss", "slashed debt", "axed a loss-making unit",
  "crushed estimates") and bad news in good words ("profit growth slowed", "smaller-than-hoped
  gain", "cut its dividend to protect its strong balance sheet");
- neutral stories full of tone: boilerplate risk warnings ("risks and uncertainties, failure
  to ..."), courteous quotes ("we are delighted to welcome ..."), accounting of gains and losses;
- every story carries background sentences of either tone that say nothing about the news;
- the gold is a person's: ``LABEL_NOISE`` of the stories are labelled otherwise.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .learning_news import CITIES, COMPANY_KINDS, COMPANY_ROOTS, FIRST, LAST, MONTHS, TRAIN_SHARE, share_of

SCALE = ["negative", "neutral", "positive"]
# Share of stories a person labels otherwise than the lead says.
LABEL_NOISE = 0.05
# Share of stories by label: a wire is mostly routine news.
LABEL_SHARES = {"neutral": 0.5, "positive": 0.25, "negative": 0.25}
UNITS = ["retail", "shipping", "chemicals", "consumer lending", "mobile", "steel", "insurance", "media", "logistics"]

# Leads by the label of the news. Slots: {C} the company, {P} a person, {T} a city, {pct}, {n}, {m},
# {month}, {unit}, {quarter}.
LEADS = {
    "positive": [
        "{C} narrowed its {quarter} loss to {n} million euros from {m} million a year earlier.",
        "{C} slashed its net debt by {pct} percent and said the worst of its crisis was over.",
        "{C} shares jumped {pct} percent after it axed its loss-making {unit} unit.",
        "{C} crushed analysts' estimates with a {pct} percent rise in operating profit.",
        "Bad loans at {C} fell to their lowest level in a decade.",
        "{C} won a {n} million dollar contract to dismantle and decommission old plants in {T}.",
        "{C} settled its dispute with regulators and will no longer face fraud charges.",
        "{C} eliminated its pension deficit, removing a burden that had weighed on its shares.",
        "{C} raised its full-year forecast for the second time this year.",
        "Complaints against {C} dropped by half after it cut prices and killed hidden fees.",
        "{C} shares soared {pct} percent after the regulator ended its investigation without a fine.",
        "{C} said costs would fall by {n} million euros as it shuts idle plants in {T}.",
        # Good news in good words, as much of it is.
        "{C} reported record profit on strong demand for its {unit} products.",
        "{C} shares rallied {pct} percent after a successful launch in {T}.",
        "Analysts upgraded {C} after an excellent {quarter} that beat every forecast.",
        "{C} won approval for its {unit} merger, a big boost to its growth plans.",
    ],
    "negative": [
        "{C} posted a smaller-than-hoped gain in {quarter} profit and its shares dropped {pct} percent.",
        "{C} said profit growth would slow to {pct} percent, well below the {m} percent it had promised.",
        "{C} cut its dividend to protect what it called a strong balance sheet.",
        "Sales at {C} grew only {pct} percent, short of the {m} percent analysts had expected.",
        "{C} postponed its eagerly awaited stock market listing in {T}.",
        "{C} withdrew its profit forecast, citing weaker demand for its {unit} products.",
        "{C} agreed to pay {n} million dollars to settle claims that it misled investors.",
        "{C} lost its top credit rating as its debts piled up.",
        "{C} shares slid {pct} percent despite record revenue, as margins shrank.",
        "Investors dumped {C} after it said its best-selling {unit} product would face new rivals.",
        "{C} said chief executive {P} would step down, days after a profit warning.",
        "{C} will close its {unit} business in {T}, once its proudest unit, with the loss of {n} jobs.",
        # Bad news in bad words.
        "{C} reported a heavy {quarter} loss and warned of a difficult year.",
        "Prosecutors in {T} opened a fraud investigation into {C}.",
        "{C} shares crashed {pct} percent after a failed drug trial.",
        "{C} filed for bankruptcy protection after talks with creditors collapsed.",
    ],
    "neutral": [
        "{C} will publish its {quarter} results on {month} {day}.",
        "{C} appointed {P} as chief financial officer, effective {month} 1.",
        "{C} said it was pleased to confirm the date of its annual general meeting in {T}.",
        "{C} completed the previously announced transfer of its {unit} unit to a wholly owned subsidiary.",
        "{C} shares were unchanged at {n} euros in {T} trading.",
        "{C} confirmed it is in early talks about its {unit} division, without giving details.",
        "{C} said gains and losses on currency hedges would be reported separately from {month}.",
        "{C} filed its annual report, which lists the risks of fraud, cyber attacks and lawsuits it faces.",
        "{C} said it would move its headquarters within {T} next year.",
        "{C} will hold a call with analysts on {month} {day} to discuss its strategy.",
        "{C} named {P}, who led its {unit} business, to its board.",
        "{C} priced a {n} million euro bond maturing in 2031, in line with its usual funding plan.",
    ],
}
# Sentences that follow the lead, by the lead's label: they go on telling the same news.
MORE = {
    "positive": [
        "The loss reduction came as impairment charges fell sharply.",
        "Analysts said the cuts had ended years of decline.",
        "The company said fewer customers had defaulted than it feared.",
        "{P}, chief executive, said the hardest cuts were now behind the group.",
        "Shares in {C} have risen {pct} percent since {month}.",
        "Losses in the {unit} unit shrank for a third straight quarter.",
    ],
    "negative": [
        "The company said growth would remain positive but modest.",
        "{P}, chief executive, said the group remained confident and proud of its record.",
        "Analysts had hoped for a stronger improvement.",
        "Shares in {C} have lost {pct} percent since {month}.",
        "The company thanked its loyal customers and said it would focus on its best markets.",
        "Margins fell even though the company won several new customers.",
    ],
    "neutral": [
        "The company did not say what it expected the results to show.",
        "{P} joins from a rival and will be based in {T}.",
        "The meeting will vote on the usual resolutions.",
        "The change has no effect on the company's reported profit.",
        "A spokesperson for {C} declined to comment further.",
        "The company has about {n},000 employees.",
    ],
}
# Background any story may hold, of either tone, saying nothing about the news.
BACKGROUND = [
    "This release contains forward-looking statements that involve risks and uncertainties, and failure to "
    "meet them could cause results to differ.",
    "\"We are delighted to welcome so many shareholders,\" said {Q}, the chair.",
    "The company, founded in {T} in 1921, is proud of its long history.",
    "The wider market fell {pct} percent on fears of a slowdown.",
    "Trading was thin ahead of a public holiday.",
    "{C} is one of the largest employers in {T}.",
    "Global stocks rallied strongly on hopes of lower interest rates.",
    "Fraud, war and pandemics are among the risks listed in its annual report.",
    "Reporting by {Q}; editing by {R}.",
    "The company was fined in 2009 for a safety breach at a plant in {T}.",
    "Rival groups have won praise for their strong growth this year.",
]
QUARTERS = ["first-quarter", "second-quarter", "third-quarter", "fourth-quarter", "half-year"]


@dataclass
class FinanceDocument:
    text: str
    sentiment: str


def _fill(template: str, rng: random.Random, cast: dict) -> str:
    low = rng.randint(2, 19)
    return template.format(C=cast["company"], P=cast["person"], Q=cast["quoted"], R=cast["editor"],
                           T=cast["city"], pct=low, m=low + rng.randint(2, 9), n=rng.randint(3, 900),
                           month=rng.choice(MONTHS), day=rng.randint(1, 28), unit=rng.choice(UNITS),
                           quarter=rng.choice(QUARTERS))


def finance_document(rng: random.Random, pools: dict) -> FinanceDocument:
    """One story: the lead's label is the gold (but for LABEL_NOISE), its sentences draw on ``pools``."""
    label = rng.choices(list(LABEL_SHARES), weights=list(LABEL_SHARES.values()))[0]
    person = lambda: f"{rng.choice(pools['first'])} {rng.choice(pools['last'])}"  # noqa: E731
    cast = {"company": f"{rng.choice(pools['roots'])} {rng.choice(COMPANY_KINDS)}", "person": person(),
            "quoted": person(), "editor": person(), "city": rng.choice(pools["cities"])}
    lead = _fill(rng.choice(pools["leads"][label]), rng, cast)
    # At most one sentence goes on with the news; the rest is routine detail and background.
    told = rng.sample(pools["more"][label], rng.randint(0, 1)) if label != "neutral" else []
    routine = rng.sample(pools["more"]["neutral"], rng.randint(1, 3))
    sentences = [_fill(s, rng, cast) for s in told + routine]
    for background in rng.sample(pools["background"], rng.randint(0, 2)):
        sentences.insert(rng.randint(0, len(sentences)), _fill(background, rng, cast))
    headline = lead.split(",")[0].rstrip(".")
    dateline = f"{cast['city'].upper()}, {rng.choice(MONTHS)} {rng.randint(1, 28)} (Reuters) - "
    if rng.random() < LABEL_NOISE:
        label = rng.choice([other for other in SCALE if other != label])
    return FinanceDocument(text=f"{headline}\n{dateline}{lead} " + " ".join(sentences), sentiment=label)


def _pools(share: float) -> dict:
    """Names and sentences; with share < 1, only that share of each (the same every run)."""
    def part(values) -> list:
        return share_of(values, share)

    return {"cities": part(CITIES), "first": part(FIRST), "last": part(LAST), "roots": part(COMPANY_ROOTS),
            "leads": {label: part(leads) for label, leads in LEADS.items()},
            "more": {label: part(more) for label, more in MORE.items()}, "background": part(BACKGROUND)}


def finance_corpus(size: int, seed: int = 0, held_out=lambda number: False) -> list[FinanceDocument]:
    """``size`` stories, the same for a seed. Training stories (``held_out(number)`` false, from 1)
    draw on TRAIN_SHARE of the names and sentences; held-out ones on all, so held-out gold has
    leads no training story has, as new news does."""
    rng = random.Random(seed)
    seen, everything = _pools(TRAIN_SHARE), _pools(1.0)
    return [finance_document(rng, everything if held_out(number) else seen) for number in range(1, size + 1)]
