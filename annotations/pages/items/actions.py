"""The item browser's actions on a selection: each parses nothing, checks the caller's role
and calls the service that holds the rules (``queue``, ``gold``, ``preannotation.runs``,
``datasets.exports``), then says what happened as messages (an export answers with the file)."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from newsroom.errors import DomainError

from ...admin.actions import preannotate, report
from ...datasets.exports import selection_export_records
from ...datasets.formats.jsonl import JsonlFormat
from ...gold import item_send_back
from ...models import Item, Membership
from ...queue import items_assign
from .selectors import Viewer

Role = Membership.Role

# Each action, its label on the page, and the roles that may take it: reviewers assign and send
# back as they do on the review page; pre-annotation and export stay with managers, as in the API.
ACTIONS = {
    "assign": ("Assign to the annotator chosen", (Role.REVIEWER, Role.MANAGER)),
    "send_back": ("Send back to their annotators, with the note", (Role.REVIEWER, Role.MANAGER)),
    "preannotate": ("Pre-annotate again (replace suggestions)", (Role.MANAGER,)),
    "export": ("Export the labels (JSONL)", (Role.MANAGER,)),
}
# An item the annotators have not submitted has nothing to send back.
SEND_BACK_FROM = (Item.Status.ANNOTATED, Item.Status.GOLD)


def actions_for(viewer: Viewer) -> dict[str, str]:
    """The actions ``viewer`` may take, by name, with their labels."""
    return {name: label for name, (label, roles) in ACTIONS.items() if not viewer.roles.isdisjoint(roles)}


def action_run(request, *, viewer: Viewer, action: str, items: QuerySet[Item], annotator=None, note: str = ""):
    """Run ``action`` on ``items`` (already limited to the viewer's project); an export returns
    its streamed response, the others None after adding their messages. Refuses an action the
    viewer's roles do not allow."""
    if action not in actions_for(viewer):
        raise PermissionDenied("Your role in this project does not take this action.")
    return RUNNERS[action](request, viewer=viewer, items=items, annotator=annotator, note=note)


def _assign(request, *, viewer, items, annotator, note):
    assigned, skipped = items_assign(items=items, annotator=annotator)
    report(request, f"Assigned {assigned} item{'s' if assigned != 1 else ''} to {annotator}.", skipped)


def _send_back(request, *, viewer, items, annotator, note):
    sent, skipped = 0, Counter()
    for item in items.select_related("project"):
        if item.status not in SEND_BACK_FROM:
            skipped["its annotators have not submitted it"] += 1
            continue
        try:
            item_send_back(item=item, reviewer=request.user, note=note)
            sent += 1
        except DomainError as exc:
            skipped[str(exc)] += 1
    report(request, f"Sent {sent} item{'s' if sent != 1 else ''} back to their annotators.", skipped)


def _preannotate(request, *, viewer, items, annotator, note):
    preannotate(request, [(viewer.project, items)], replace=True)


def _export(request, *, viewer, items, annotator, note):
    response = StreamingHttpResponse(JsonlFormat().write(selection_export_records(items=items)),
                                     content_type=JsonlFormat.media_type)
    response["Content-Disposition"] = 'attachment; filename="selected-items.jsonl"'
    return response


RUNNERS = {"assign": _assign, "send_back": _send_back, "preannotate": _preannotate, "export": _export}
