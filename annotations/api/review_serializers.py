"""Shapes of the review actions on items: reopening gold, sending an item back, gold history."""

from rest_framework import serializers

from ..models import Gold, LabelOrigin


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
    provenance = serializers.DictField(help_text='{"sentiment": SOURCE, "topics": {"<id>": SOURCE}}.')
    spans = GoldSpanOutputSerializer(many=True)


class GoldReopenedSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    status = serializers.CharField(help_text="The item's status: back to review.")
    gold = GoldVersionSerializer(help_text="The version just reopened.")
