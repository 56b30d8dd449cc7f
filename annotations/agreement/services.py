"""Agreement kept on the database: each item's agreement, stored at submit so that reviewers
can sort and filter by it."""

from ..models import Item
from .items import annotation_labels, item_agreement


def item_agreement_refresh(*, item: Item) -> float | None:
    """Recompute and store the item's agreement from each annotator's newest annotation."""
    value = item_agreement([annotation_labels(a) for a in item.annotations.current().prefetch_related("spans")])
    Item.objects.filter(pk=item.pk).update(agreement=value)
    return value
