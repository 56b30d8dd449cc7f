"""Labeled news-like articles for topic benchmarks: English sentences about eight topics that
share much of their vocabulary, articles on one to three topics, and the mistakes real
labeled news has.

What makes it hard, as real news is for a bag-of-words classifier:
- every topic shares words with its neighbours (a budget is Politics and Economy, a data
  breach is Technology and Crime, a stadium deal is Sport and Business), and every sentence
  frame is shared by all topics, so only the filled-in words tell the topics apart;
- articles mention topics they are not about (a sentence on the stadium's funding in a match
  report), and a second or third topic an article is about may get only a few sentences;
- lengths run from a brief of under 100 words to a feature of over 1,000;
- the gold is a person's: now and then a minor topic is left out, or a mentioned one added.
"""

import random
from dataclasses import dataclass

# Content words of each topic: nouns (things talked about), actors (who acts) and verbs.
TOPICS: dict[str, dict[str, list[str]]] = {
    "Politics": {
        "nouns": ["election", "parliament", "coalition", "vote", "bill", "opposition", "campaign", "policy",
                  "referendum", "cabinet", "budget", "tax reform", "spending plan", "law", "constitution",
                  "poll", "senate", "mandate", "reform", "public inquiry", "scandal", "candidate"],
        "actors": ["the prime minister", "the opposition leader", "the governing party", "lawmakers",
                   "the interior minister", "the finance minister", "the mayor", "the speaker of parliament"],
        "verbs": ["approved", "rejected", "debated", "called for", "promised", "blocked", "defended",
                  "announced"],
    },
    "Economy": {
        "nouns": ["inflation", "interest rates", "budget", "deficit", "unemployment", "wages", "growth",
                  "recession", "consumer prices", "the currency", "exports", "tax", "spending plan", "debt",
                  "markets", "energy prices", "household incomes", "the jobs report", "fuel costs", "demand"],
        "actors": ["the central bank", "economists", "the finance minister", "the statistics office",
                   "the treasury", "analysts", "the IMF", "employers"],
        "verbs": ["forecast", "raised", "cut", "warned about", "revised", "reported", "expected", "measured"],
    },
    "Business": {
        "nouns": ["profits", "shares", "the merger", "revenue", "investors", "the takeover", "markets",
                  "the stock price", "a new product", "layoffs", "quarterly results", "the startup",
                  "a sponsorship deal", "the supply chain", "dividends", "the factory", "prices", "customers"],
        "actors": ["the company", "the chief executive", "shareholders", "the board", "the retailer",
                   "the airline", "the carmaker", "the bank"],
        "verbs": ["reported", "launched", "acquired", "cut", "raised", "announced", "sold", "invested in"],
    },
    "Health": {
        "nouns": ["the hospital", "patients", "the vaccine", "the outbreak", "waiting lists", "doctors",
                  "nurses", "the virus", "cancer treatment", "the clinic", "a new drug", "air pollution",
                  "heat stroke", "mental health services", "the health budget", "infections", "the trial"],
        "actors": ["health officials", "the health minister", "doctors", "the health authority", "researchers",
                   "the hospital trust", "the World Health Organization", "nurses' unions"],
        "verbs": ["treated", "warned about", "approved", "tested", "reported", "studied", "recommended",
                  "funded"],
    },
    "Crime": {
        "nouns": ["the court", "the trial", "police", "the suspect", "the murder", "fraud", "the verdict",
                  "a robbery", "the investigation", "prison", "the law", "a data breach", "hackers",
                  "corruption charges", "the sentence", "witnesses", "the arrest", "bail"],
        "actors": ["police", "prosecutors", "the judge", "detectives", "the defence lawyer", "the jury",
                   "investigators", "the court"],
        "verbs": ["charged", "arrested", "sentenced", "investigated", "convicted", "questioned", "released",
                  "accused"],
    },
    "Environment": {
        "nouns": ["emissions", "climate change", "the flood", "the drought", "wildfires", "carbon tax",
                  "renewable energy", "air pollution", "the river", "wildlife", "the heatwave", "energy prices",
                  "the wind farm", "plastic waste", "the coastline", "forests", "rainfall", "solar panels"],
        "actors": ["environmental groups", "scientists", "the environment agency", "campaigners",
                   "the energy minister", "farmers", "the water company", "climate researchers"],
        "verbs": ["warned about", "protested against", "measured", "protected", "cut", "reported", "planted",
                  "cleaned up"],
    },
    "Sport": {
        "nouns": ["the match", "the final", "the league", "the goal", "the championship", "the coach",
                  "the team", "the stadium", "fans", "the transfer fee", "a sponsorship deal", "the season",
                  "the tournament", "the injury", "the title", "the penalty", "the race", "players"],
        "actors": ["the coach", "the club", "the captain", "the striker", "the league", "the referee",
                   "the club owners", "the national team"],
        "verbs": ["won", "lost", "signed", "scored", "defended", "played", "sacked", "celebrated"],
    },
    "Technology": {
        "nouns": ["the app", "artificial intelligence", "the software", "the chip", "the platform",
                  "a data breach", "hackers", "the smartphone", "the network", "privacy", "the startup",
                  "cloud services", "the algorithm", "users", "the update", "a new product", "robots",
                  "electric cars"],
        "actors": ["the tech company", "engineers", "developers", "the regulator", "researchers",
                   "the social network", "the chipmaker", "the founders"],
        "verbs": ["launched", "developed", "updated", "tested", "banned", "released", "hacked", "built"],
    },
}
# Topics often found together in one article: a second topic is drawn from these half the time.
NEIGHBOURS = {
    "Politics": ["Economy", "Crime", "Health", "Environment"], "Economy": ["Politics", "Business", "Environment"],
    "Business": ["Economy", "Technology", "Sport"], "Health": ["Politics", "Environment", "Technology"],
    "Crime": ["Politics", "Technology", "Sport"], "Environment": ["Economy", "Politics", "Health"],
    "Sport": ["Business", "Crime", "Health"], "Technology": ["Business", "Crime", "Health"],
}
# Frames every topic's sentences share: only the words put into them tell topics apart.
FRAMES = [
    "{actor} {verb} {noun} on {day}, {person} said.",
    "{person} told reporters that {actor} had {verb} {noun} and would look again at {noun2}.",
    "According to {actor}, {noun} and {noun2} were the main concerns this {period}.",
    "{actor} {verb} {noun} after weeks of questions about {noun2}.",
    "Critics said {actor} had {verb} {noun} too late, while {person} pointed to {noun2}.",
    "The debate over {noun} continued in {place}, where {actor} {verb} {noun2}.",
    "{person}, who has followed {noun} for years, said {actor} {verb} it without warning.",
    "In {place}, {noun} dominated the {period}, and {actor} {verb} {noun2}.",
    "A spokesperson for {actor} said {noun} would be reviewed before {day}.",
    "It was the first time {actor} had {verb} {noun} since {year}.",
]
FILLER = [
    "{person} declined to comment.", "The report was published on {day}.",
    "More details are expected later this {period}.", "Reporting by {person} in {place}.",
    "Neither side responded to a request for comment on {day}.",
    "{person} contributed to this report from {place}.", "The figures have not been independently verified.",
    "Residents of {place} said they were following events closely.",
]
PEOPLE = ["Ana Reyes", "Tomas Lind", "Idris Mwangi", "Lena Okafor", "Piotr Halloran", "Mira Castell",
          "Jonah Whitlow", "Sade Brennick", "Oskar Feld", "Noor Adeyemi", "Carla Jensen", "Ravi Mehta"]
PLACES = ["Portvale", "Eastland", "Northgate", "Kestrel Bay", "Marlow Heights", "the capital", "Lorn Valley"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PERIODS = ["week", "month", "year", "quarter", "season"]
# Shares of an article's topics: one (most articles), two, three.
TOPIC_COUNT_WEIGHTS = (0.55, 0.33, 0.12)
# A sentence of another topic the article is not about (a passing mention).
DISTRACTOR_SHARE = 0.2
FILLER_SHARE = 0.25
# Words per article: a brief, a report, a feature (log-normal: median ~270, 90% between ~100 and ~750).
LENGTH_MEDIAN_LOG, LENGTH_SIGMA = 5.6, 0.62
MIN_WORDS, MAX_WORDS = 80, 1400
# How often the person who labeled an article left out a minor topic, or added one only mentioned.
MINOR_TOPIC_MISSED = 0.08
MENTIONED_TOPIC_ADDED = 0.05
# How often a word of a sentence about one topic is one of a neighbouring topic's words.
WORD_BLEED = 0.4


@dataclass
class LabeledArticle:
    text: str
    topics: set[str]


def article(rng: random.Random) -> LabeledArticle:
    """One article and the topics its labeler gave it."""
    topics = _article_topics(rng)
    # The first topic leads; each later one gets 0.2 to 1 times its share of the topical sentences.
    weights = [1.0] + [rng.uniform(0.2, 1.0) for _ in topics[1:]]
    others = [topic for topic in TOPICS if topic not in topics]
    target = min(MAX_WORDS, max(MIN_WORDS, int(rng.lognormvariate(LENGTH_MEDIAN_LOG, LENGTH_SIGMA))))
    sentences, words, mentioned = [], 0, set()
    while words < target:
        roll = rng.random()
        if roll < FILLER_SHARE:
            sentence = _fill(rng.choice(FILLER), rng, None)
        elif roll < FILLER_SHARE + DISTRACTOR_SHARE:
            topic = rng.choice(others)
            mentioned.add(topic)
            sentence = _fill(rng.choice(FRAMES), rng, topic)
        else:
            sentence = _fill(rng.choice(FRAMES), rng, rng.choices(topics, weights=weights)[0])
        sentences.append(sentence)
        words += len(sentence.split())
    paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
    return LabeledArticle(text="\n\n".join(paragraphs), topics=_labeled(rng, topics, mentioned))


def articles(count: int, rng: random.Random) -> list[LabeledArticle]:
    return [article(rng) for _ in range(count)]


def _article_topics(rng: random.Random) -> list[str]:
    count = rng.choices((1, 2, 3), weights=TOPIC_COUNT_WEIGHTS)[0]
    topics = [rng.choice(list(TOPICS))]
    while len(topics) < count:
        pool = NEIGHBOURS[topics[0]] if rng.random() < 0.5 else list(TOPICS)
        candidate = rng.choice(pool)
        if candidate not in topics:
            topics.append(candidate)
    return topics


def _labeled(rng: random.Random, topics: list[str], mentioned: set[str]) -> set[str]:
    labeled = {topics[0]} | {topic for topic in topics[1:] if rng.random() >= MINOR_TOPIC_MISSED}
    if mentioned and rng.random() < MENTIONED_TOPIC_ADDED:
        labeled.add(rng.choice(sorted(mentioned)))
    return labeled


def _fill(frame: str, rng: random.Random, topic: str | None) -> str:
    if topic is None:
        actor, verb, noun, noun2 = "officials", "said", "it", "it"
    else:
        actor, verb, noun, noun2 = (rng.choice(_words(rng, topic)[part])
                                    for part in ("actors", "verbs", "nouns", "nouns"))
    sentence = frame.format(actor=actor, verb=verb, noun=noun, noun2=noun2, person=rng.choice(PEOPLE),
                            place=rng.choice(PLACES), day=rng.choice(DAYS), period=rng.choice(PERIODS),
                            year=rng.randint(1990, 2022))
    return sentence[0].upper() + sentence[1:]


def _words(rng: random.Random, topic: str) -> dict[str, list[str]]:
    return TOPICS[rng.choice(NEIGHBOURS[topic]) if rng.random() < WORD_BLEED else topic]
