"""Fictional story texts shared by the dedupe and import tests: a wire story, a syndicated
rewrite of it, and a different story about the same event."""

WIRE = [
    "The harbour authority of Portvale voted on Tuesday to close the old ferry terminal after inspectors found "
    "deep cracks in the concrete pier that has served island commuters for more than sixty years.",
    "Mayor Elena Brandt said the decision was painful but unavoidable, adding that a temporary floating dock "
    "would open within three weeks so that the morning crossings could continue without long delays.",
    "Engineers from the regional transport office estimated that rebuilding the pier would cost about forty "
    "million crowns and take at least two years, depending on the weather during the winter months.",
    "Commuters waiting at the terminal on Tuesday evening were divided, with some praising the caution of the "
    "authority and others complaining that the warnings had been ignored for far too long by the council.",
    "The ferry operator Bluewake Lines said it would add an extra evening sailing and offer refunds to season "
    "ticket holders who could not travel during the first week of the closure of the terminal.",
    "Opposition councillor Tomas Reyes called for an independent inquiry into the maintenance records of the "
    "pier and asked why the last full inspection had taken place more than nine years ago.",
]

REWRITE = [
    "Island commuters face weeks of disruption after Portvale shut its ageing ferry pier, officials said.",
    WIRE[1],
    "The closure follows an inspection report that described the structure as unsafe for heavy foot traffic "
    "and recommended immediate action by the harbour board before the start of the storm season.",
    WIRE[2],
    WIRE[4],
    "Local shop owners near the terminal worried about lost trade, saying most of their customers were "
    "passengers buying coffee and newspapers before the early crossing to the mainland each day.",
]

SAME_EVENT = [
    "Portvale's ferry pier has been closed, and the people who use it every day are angry rather than surprised.",
    "Nurse Ada Lindqvist has crossed the strait twice a day for eleven years and says the cracks were visible "
    "to anyone who bothered to look down while queuing for the boat on a rainy morning.",
    "Her neighbour, a retired fisherman, remembers the pier being built and says it was never meant to carry "
    "the crowds that now pour off the fast catamarans during the summer tourist season.",
    "For now the island's residents will use a floating dock, and many of them doubt that a new pier will be "
    "finished before their children leave school and move away to the city for work.",
]


def text(paragraphs):
    return "\n\n".join(paragraphs)
