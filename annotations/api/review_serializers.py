"""Shapes of the review actions on items: the review (labels side by side, disagreements, gold
and its history), accepting and reopening gold, sending an item back."""

from rest_framework import serializers

from ..models import Gold, Item, LabelOrigin
from .serializers import ProvenanceField


class GoldReopenInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the gold is reopened; kept in the gold history.")


class SendBackInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, help_text="What the annotators should look at again; they see it "
                                                            "on the labeling page.")


class GoldSpanOutputSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    label = serializers.CharField()
    text = serializers.CharField()
    sentiment = serializers.CharField(help_text="Toward the entity; empty without one.")
    origin = serializers.ChoiceField(choices=LabelOrigin.choices)
    sentiment_origin = serializers.CharField(help_text="A LabelOrigin; empty without an entity sentiment.")
    predictor = serializers.CharField()
    predictor_version = serializers.CharField()


class GoldVersionSerializer(serializers.Serializer):
    """One version of an item's gold, as ``selectors.gold_version`` reads it."""

    id = serializers.IntegerField()
    version = serializers.IntegerField(help_text="1, 2, 3… per item.")
    status = serializers.ChoiceField(choices=Gold.Status.choices, help_text="Only the accepted version is exported.")
    origin = serializers.ChoiceField(choices=Gold.Origin.choices)
    reviewer = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    note = serializers.CharField(help_text="The reviewer's note on accepting it.")
    based_on = serializers.IntegerField(allow_null=True, help_text="The annotation accepted as it was, if one was.")
    reopened_by = serializers.CharField(allow_null=True)
    reopened_at = serializers.DateTimeField(allow_null=True)
    reopen_reason = serializers.CharField()
    sentiment = serializers.CharField()
    topics = serializers.ListField(child=serializers.IntegerField())
    provenance = ProvenanceField()
    spans = GoldSpanOutputSerializer(many=True)


class GoldReopenedSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    status = serializers.CharField(help_text="The item's status: back to review.")
    gold = GoldVersionSerializer(help_text="The version just reopened.")


class GoldAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The gold version's id.")
    item = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Gold.Status.choices)
    version = serializers.IntegerField(help_text="The item's gold version just accepted: 1, 2, 3…")


class ReviewAnnotationSerializer(serializers.Serializer):
    """One annotator's current labels, as the review compares them."""

    annotator = serializers.CharField(help_text="The annotator's username.")
    annotation = serializers.IntegerField(help_text="The annotation's id: accept it as gold with this.")
    version = serializers.IntegerField()
    sentiment = serializers.CharField(help_text="Empty without one.")
    topics = serializers.ListField(child=serializers.IntegerField())
    provenance = ProvenanceField()
    spans = GoldSpanOutputSerializer(many=True)


class SentimentVotesSerializer(serializers.Serializer):
    agreed = serializers.BooleanField()
    votes = serializers.DictField(child=serializers.IntegerField(),
                                  help_text='By sentiment value ("" for none): how many annotators chose it.')
    accepted = serializers.ListField(child=serializers.CharField(),
                                     help_text="Annotators who took it from a suggestion unchanged.")


class TopicVotesSerializer(serializers.Serializer):
    topic = serializers.IntegerField()
    annotators = serializers.ListField(child=serializers.CharField(), help_text="Who chose the topic.")
    agreed = serializers.BooleanField(help_text="Every annotator chose it.")
    accepted = serializers.ListField(child=serializers.CharField())


class EntitySentimentVotesSerializer(serializers.Serializer):
    agreed = serializers.BooleanField()
    votes = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                  help_text='By sentiment value ("" for none): the annotators who chose it.')
    accepted = serializers.ListField(child=serializers.CharField())


class SpanVotesSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    label = serializers.CharField()
    text = serializers.CharField()
    annotators = serializers.ListField(child=serializers.CharField(), help_text="Who marked the span.")
    agreed = serializers.BooleanField(help_text="Every annotator marked it.")
    accepted = serializers.ListField(child=serializers.CharField())
    sentiment = EntitySentimentVotesSerializer(help_text="The sentiment toward the entity, among those who marked "
                                                         "the span.")


class DisagreementsSerializer(serializers.Serializer):
    sentiment = SentimentVotesSerializer()
    topics = TopicVotesSerializer(many=True)
    spans = SpanVotesSerializer(many=True)


class ReviewGoldSerializer(serializers.Serializer):
    """The accepted gold version's labels."""

    id = serializers.IntegerField()
    version = serializers.IntegerField()
    origin = serializers.ChoiceField(choices=Gold.Origin.choices)
    sentiment = serializers.CharField()
    topics = serializers.ListField(child=serializers.IntegerField())
    provenance = ProvenanceField()
    spans = GoldSpanOutputSerializer(many=True)


class SendBackNoteSerializer(serializers.Serializer):
    reviewer = serializers.CharField(allow_null=True, help_text="Null once the reviewer's account is deleted.")
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class ItemReviewSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Item.Status.choices)
    annotations = ReviewAnnotationSerializer(many=True, help_text="Each annotator's current labels.")
    disagreements = DisagreementsSerializer(help_text="What not every annotator agrees on, with who chose what.")
    gold = ReviewGoldSerializer(allow_null=True, help_text="The accepted gold; null without one.")
    gold_history = GoldVersionSerializer(many=True, help_text="Every gold version, newest first.")
    send_backs = SendBackNoteSerializer(many=True, help_text="Notes the item was sent back with, newest first.")
