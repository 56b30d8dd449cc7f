"""A tiny gold set written for these tests: short news-like sentences with a sentiment and a topic,
enough for a real training in a second or two."""

from annotations.gold import gold_accept
from annotations.models import GoldSplit
from tests import factories

# Each label's sentences share cue words (strong/praised/record, losses/anger/failure,
# scheduled/meets/week), so a few of them teach a model something a held-out one shows.
POSITIVE = ["Shares soared after strong record profits and praised growth.",
            "The team won a strong victory and fans praised the record season.",
            "Exports hit a record and the minister praised a strong year for farmers.",
            "The new hospital won praise and strong support from grateful patients.",
            "Investors praised the merger and its strong record results.",
            "The mayor won praise for a strong plan that improved schools."]
NEGATIVE = ["Shares crashed after heavy losses and anger at a failing strategy.",
            "The team suffered a humiliating failure and the fans reacted with anger.",
            "Exports collapsed with heavy losses and anger among farmers.",
            "The hospital closed amid anger over failure and awful conditions.",
            "Investors fled the merger after heavy losses and failure.",
            "The mayor faced anger over a failure that damaged schools."]
NEUTRAL = ["The company is scheduled to publish its report next week.",
           "The team meets its rivals on Saturday as scheduled.",
           "The minister meets farmers in the north next week.",
           "The hospital board meets every month as scheduled.",
           "The merger documents are scheduled for filing next week.",
           "The mayor meets the council about the school plan next week."]
ECONOMY_WORDS = ("company", "shares", "exports", "investors", "merger", "budget")


def sentiment_gold(project) -> dict[str, list]:
    """18 gold items with a sentiment (and Economy or Politics as topic), six per label, the
    labels interleaved by item id: of each label's six, the third and sixth on the held-out side,
    the rest on the train side. Returns the items by side."""
    reviewer = factories.member(project, "reviewer")
    topics = {topic.name: topic.pk for topic in project.topics.all()}
    by_side = {GoldSplit.TRAIN: [], GoldSplit.HELD_OUT: []}
    for index, texts in enumerate(zip(POSITIVE, NEGATIVE, NEUTRAL)):
        for label, text in zip(("positive", "negative", "neutral"), texts):
            side = GoldSplit.HELD_OUT if index % 3 == 2 else GoldSplit.TRAIN
            item = factories.ItemFactory(project=project, article=factories.ArticleFactory(body=text),
                                         gold_split=side)
            topic = "Economy" if any(word in text.lower() for word in ECONOMY_WORDS) else "Politics"
            gold_accept(item=item, reviewer=reviewer, sentiment=label, topics=[topics[topic]])
            by_side[side].append(item)
    return by_side
