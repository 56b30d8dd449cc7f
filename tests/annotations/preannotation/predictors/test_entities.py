"""Grouping the mentions of one article: pure functions, no model."""

from annotations.preannotation.predictors.entities import group_mentions, mention_key


def _groups(mentions):
    """{name: [mention texts]} of the groups found."""
    return {group.name: [mentions[i][0] for i in group.members] for group in group_mentions(mentions)}


def test_spellings_titles_and_possessives_of_one_person_form_one_group():
    mentions = [("Kim Jong Un", "PERSON"), ("Kim Jong-un", "PERSON"), ("Mr. Kim", "PERSON"),
                ("Kim", "PERSON"), ("Kim's", "PERSON"), ("President Kim Jong Un", "PERSON")]

    groups = group_mentions(mentions)

    assert len(groups) == 1
    assert groups[0].name == "Kim Jong Un"
    assert groups[0].label == "PERSON"
    assert groups[0].members == [0, 1, 2, 3, 4, 5]


def test_places_join_their_possessive_but_not_a_place_sharing_a_word():
    mentions = [("North Korea", "GPE"), ("South Korea", "GPE"), ("North Korea's", "GPE")]

    assert _groups(mentions) == {"North Korea": ["North Korea", "North Korea's"], "South Korea": ["South Korea"]}


def test_an_acronym_joins_the_long_form_its_initials_spell():
    mentions = [("The Korean Central News Agency", "ORG"), ("KCNA", "ORG"), ("KBS", "ORG")]

    assert _groups(mentions) == {"The Korean Central News Agency": ["The Korean Central News Agency", "KCNA"],
                                 "KBS": ["KBS"]}


def test_a_surname_shared_by_two_people_joins_neither():
    mentions = [("Donald J. Trump", "PERSON"), ("Ivanka Trump", "PERSON"), ("Trump", "PERSON"),
                ("Donald Trump", "PERSON")]

    groups = _groups(mentions)

    assert groups["Donald J. Trump"] == ["Donald J. Trump", "Donald Trump"]
    assert groups["Ivanka Trump"] == ["Ivanka Trump"]
    assert groups["Trump"] == ["Trump"]


def test_a_surname_the_model_took_for_an_organisation_joins_the_person_and_the_majority_label_wins():
    mentions = [("Tomas Reyes", "PERSON"), ("Reyes", "ORG"), ("Mr. Reyes", "PERSON")]

    groups = group_mentions(mentions)

    assert [(group.name, group.label, group.members) for group in groups] == [("Tomas Reyes", "PERSON", [0, 1, 2])]


def test_a_place_never_joins_a_person_named_after_it():
    mentions = [("George Washington", "PERSON"), ("Washington", "GPE")]

    assert len(group_mentions(mentions)) == 2


def test_titles_are_stripped_from_people_only():
    assert mention_key("General Kim", "PERSON") == ("kim",)
    assert mention_key("General Motors", "ORG") == ("general", "motors")
    assert mention_key("Dr. José Núñez’s", "PERSON") == ("jose", "nunez")


def test_groups_come_in_order_of_first_mention():
    mentions = [("Valdoria", "GPE"), ("Alma Verhoeven", "PERSON"), ("Verhoeven", "PERSON"), ("Valdoria", "GPE")]

    assert [group.members for group in group_mentions(mentions)] == [[0, 3], [1, 2]]
