"""The item browser's forms: the filters (a GET form, read into ``Filters``) and the actions
on a selection (a POST form)."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from ingest.models import Source

from ...models import Item
from .actions import ACTIONS
from .selectors import DEFAULT_SORT, Filters, Viewer, browser_annotators

YES_NO = [("", "Either"), ("yes", "Yes"), ("no", "No")]


class FilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=500, label="Search")
    status = forms.ChoiceField(required=False, choices=[("", "Any")] + Item.Status.choices)
    source = forms.ModelChoiceField(required=False, queryset=Source.objects.order_by("name"), empty_label="Any")
    published_from = forms.DateField(required=False, label="Published from",
                                     widget=forms.DateInput(attrs={"type": "date"}))
    published_to = forms.DateField(required=False, label="to", widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.ModelChoiceField(required=False, queryset=None, empty_label="Any")
    agreement_min = forms.FloatField(required=False, min_value=0, max_value=1, label="Agreement from",
                                     widget=forms.NumberInput(attrs={"step": "0.05"}))
    agreement_max = forms.FloatField(required=False, min_value=0, max_value=1, label="to",
                                     widget=forms.NumberInput(attrs={"step": "0.05"}))
    suggestions = forms.ChoiceField(required=False, choices=YES_NO, label="Has suggestions")
    annotator = forms.ModelChoiceField(required=False, queryset=None, empty_label="Anyone")
    sort = forms.ChoiceField(required=False, choices=[])

    def __init__(self, data, *, viewer: Viewer):
        super().__init__(data)
        self.fields["topic"].queryset = viewer.project.topics.order_by("name")
        self.fields["annotator"].queryset = browser_annotators(viewer=viewer)
        self.fields["sort"].choices = list(viewer.sorts.items())
        for name in viewer.hidden_filters:
            del self.fields[name]

    def filters(self) -> Filters:
        """The valid filters given (an invalid field is left out and shown with its error)."""
        data = self.cleaned_data if self.is_bound else {}
        value = {name: data.get(name) for name in self.fields if name not in self.errors}
        given = frozenset(name for name, found in value.items() if found not in (None, "") and name != "sort")
        published_to = value.get("published_to")
        return Filters(
            query=value.get("q") or "", status=value.get("status") or "",
            source=_pk(value.get("source")), topic=_pk(value.get("topic")), annotator=_pk(value.get("annotator")),
            published_from=_midnight(value.get("published_from")),
            published_before=_midnight(published_to + timedelta(days=1)) if published_to else None,
            agreement_min=value.get("agreement_min"), agreement_max=value.get("agreement_max"),
            suggestions={"yes": True, "no": False}.get(value.get("suggestions") or ""),
            sort=value.get("sort") or DEFAULT_SORT, given=given)


def _pk(obj):
    return None if obj is None else obj.pk


def _midnight(day):
    """The start of ``day`` in the site's time zone (dates on the page are the newsroom's days)."""
    return None if day is None else timezone.make_aware(datetime.combine(day, time.min))


class ActionForm(forms.Form):
    """One action on the chosen items of the page."""

    action = forms.ChoiceField(choices=[])
    items = forms.TypedMultipleChoiceField(coerce=int, choices=[], error_messages={
        "required": "Choose the items first."})
    annotator = forms.ModelChoiceField(required=False, queryset=None)
    note = forms.CharField(required=False, max_length=2000)

    def __init__(self, data, *, viewer: Viewer):
        super().__init__(data)
        # Every action parses; the caller's role is checked when it runs (a refusal is a 403).
        self.fields["action"].choices = [(name, label) for name, (label, roles) in ACTIONS.items()]
        self.fields["annotator"].queryset = browser_annotators(viewer=viewer)
        # Any id is accepted here; the action reads only those of the project the viewer may see.
        self.fields["items"].choices = [(value, value) for value in (data.getlist("items") if data else [])]

    def clean(self):
        data = super().clean()
        if data.get("action") == "assign" and not data.get("annotator"):
            self.add_error("annotator", "Choose the annotator to assign the items to.")
        if data.get("action") == "send_back" and not (data.get("note") or "").strip():
            self.add_error("note", "Write the annotators a note: what should they look at again?")
        return data
