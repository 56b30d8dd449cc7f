"""Where every label came from, gold history (versions, reopening, send-back notes), the
held-out side of each gold item, and what each topic classifier was trained on.

Existing rows: gold gets versions 1, 2, ... per item in the order it was made; imported gold's
spans are marked imported; a suggestion outcome's sentiment True/False becomes accepted/rejected;
items with gold get their side of the split.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from annotations.models import GoldSplit


def backfill(apps, schema_editor):
    Gold = apps.get_model("annotations", "Gold")
    GoldSpan = apps.get_model("annotations", "GoldSpan")
    Item = apps.get_model("annotations", "Item")
    SuggestionOutcome = apps.get_model("annotations", "SuggestionOutcome")
    versions = {}
    for gold_id, item_id in Gold.objects.order_by("item_id", "created_at", "id").values_list("id", "item_id"):
        versions[item_id] = versions.get(item_id, 0) + 1
        Gold.objects.filter(pk=gold_id).update(version=versions[item_id])
    GoldSpan.objects.filter(gold__origin="import").update(origin="imported")
    GoldSpan.objects.filter(gold__origin="import").exclude(sentiment="").update(sentiment_origin="imported")
    for model in (GoldSpan, apps.get_model("annotations", "AnnotationSpan")):
        model.objects.exclude(sentiment="").filter(sentiment_origin="").update(sentiment_origin="person")
    SuggestionOutcome.objects.filter(sentiment_accepted=True).update(sentiment_outcome="accepted")
    SuggestionOutcome.objects.filter(sentiment_accepted=False).update(sentiment_outcome="rejected")
    for item_id in Item.objects.filter(gold__isnull=False).distinct().values_list("id", flat=True):
        Item.objects.filter(pk=item_id).update(gold_split=GoldSplit.for_item(item_id))


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0005_item_agreement_backfill'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SendBack',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('note', models.TextField(blank=True, help_text='What the annotators should look at again.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['item', '-created_at'],
            },
        ),
        migrations.AlterModelOptions(
            name='gold',
            options={'ordering': ['item', '-version'], 'verbose_name_plural': 'gold'},
        ),
        migrations.AddField(
            model_name='annotation',
            name='provenance',
            field=models.JSONField(blank=True, default=dict, help_text='Where the document labels came from: {"sentiment": SOURCE, "topics": {"<topic id>": SOURCE}}, SOURCE = {"origin": a LabelOrigin, "predictor": kind, "version": version} (predictor and version for accepted and changed suggestions). A label missing here was typed by a person.'),
        ),
        migrations.AddField(
            model_name='annotation',
            name='rejected_suggestions',
            field=models.JSONField(blank=True, default=list, help_text='Suggestions the annotator rejected: [{"key": "span:<start>:<end>:<label>" | "sentiment" | "topic:<id>" | "entity-sentiment:<start>:<end>:<label>", "predictor": kind, "version": version}].'),
        ),
        migrations.AddField(
            model_name='annotationspan',
            name='origin',
            field=models.CharField(choices=[('person', 'Typed by a person'), ('accepted', 'Accepted suggestion'), ('changed', 'Changed suggestion'), ('imported', 'Imported')], default='person', help_text='Where the span came from.', max_length=16),
        ),
        migrations.AddField(
            model_name='annotationspan',
            name='predictor',
            field=models.CharField(blank=True, help_text='The predictor whose suggestion was accepted or changed.', max_length=100),
        ),
        migrations.AddField(
            model_name='annotationspan',
            name='predictor_version',
            field=models.CharField(blank=True, max_length=50),
        ),
        migrations.AddField(
            model_name='annotationspan',
            name='sentiment_origin',
            field=models.CharField(blank=True, choices=[('person', 'Typed by a person'), ('accepted', 'Accepted suggestion'), ('changed', 'Changed suggestion'), ('imported', 'Imported')], help_text='Where the sentiment toward the entity came from; empty without one.', max_length=16),
        ),
        migrations.AddField(
            model_name='gold',
            name='note',
            field=models.TextField(blank=True, help_text="The reviewer's note on accepting it."),
        ),
        migrations.AddField(
            model_name='gold',
            name='provenance',
            field=models.JSONField(blank=True, default=dict, help_text='Where the document labels came from: {"sentiment": SOURCE, "topics": {"<topic id>": SOURCE}}, SOURCE = {"origin": a LabelOrigin, "predictor": kind, "version": version} (predictor and version for accepted and changed suggestions). A label missing here was typed by a person.'),
        ),
        migrations.AddField(
            model_name='gold',
            name='reopen_reason',
            field=models.TextField(blank=True, help_text='Why the gold was reopened for review.'),
        ),
        migrations.AddField(
            model_name='gold',
            name='reopened_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='gold',
            name='reopened_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='gold',
            name='version',
            field=models.PositiveIntegerField(default=1, help_text="1, 2, 3… per item: the item's gold history."),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='goldspan',
            name='origin',
            field=models.CharField(choices=[('person', 'Typed by a person'), ('accepted', 'Accepted suggestion'), ('changed', 'Changed suggestion'), ('imported', 'Imported')], default='person', help_text='Where the span came from.', max_length=16),
        ),
        migrations.AddField(
            model_name='goldspan',
            name='predictor',
            field=models.CharField(blank=True, help_text='The predictor whose suggestion was accepted or changed.', max_length=100),
        ),
        migrations.AddField(
            model_name='goldspan',
            name='predictor_version',
            field=models.CharField(blank=True, max_length=50),
        ),
        migrations.AddField(
            model_name='goldspan',
            name='sentiment_origin',
            field=models.CharField(blank=True, choices=[('person', 'Typed by a person'), ('accepted', 'Accepted suggestion'), ('changed', 'Changed suggestion'), ('imported', 'Imported')], help_text='Where the sentiment toward the entity came from; empty without one.', max_length=16),
        ),
        migrations.AddField(
            model_name='item',
            name='gold_split',
            field=models.CharField(blank=True, choices=[('train', 'Training'), ('held_out', 'Held out')], db_index=True, help_text="Which side of the project's gold the item is on, decided once when its first gold is accepted: models train on one side, are measured on the other.", max_length=16),
        ),
        migrations.AddField(
            model_name='suggestionoutcome',
            name='entity_sentiments_accepted',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='suggestionoutcome',
            name='entity_sentiments_changed',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='suggestionoutcome',
            name='entity_sentiments_rejected',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='suggestionoutcome',
            name='sentiment_outcome',
            field=models.CharField(blank=True, choices=[('accepted', 'Accepted'), ('changed', 'Changed'), ('rejected', 'Rejected')], help_text='What became of the suggested document sentiment; empty when none was suggested.', max_length=16),
        ),
        migrations.AddField(
            model_name='suggestionoutcome',
            name='spans_changed',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='topicclassifier',
            name='thresholds',
            field=models.JSONField(blank=True, default=dict, help_text='Per topic id, the probability from which the topic is suggested, calibrated on held-out gold.'),
        ),
        migrations.AddField(
            model_name='topicclassifier',
            name='trained_on',
            field=models.JSONField(blank=True, default=list, help_text='Ids of the gold items it was trained on.'),
        ),
        migrations.AlterField(
            model_name='gold',
            name='status',
            field=models.CharField(choices=[('accepted', 'Accepted'), ('superseded', 'Superseded'), ('reopened', 'Reopened')], default='accepted', max_length=16),
        ),
        migrations.AddField(
            model_name='sendback',
            name='item',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='send_backs', to='annotations.item'),
        ),
        migrations.AddField(
            model_name='sendback',
            name='reviewer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='gold',
            constraint=models.UniqueConstraint(fields=('item', 'version'), name='gold_unique_version'),
        ),
        migrations.AddConstraint(
            model_name='gold',
            constraint=models.CheckConstraint(condition=models.Q(('version__gte', 1)), name='gold_version_positive'),
        ),
        migrations.RemoveField(
            model_name='suggestionoutcome',
            name='sentiment_accepted',
        ),
    ]
