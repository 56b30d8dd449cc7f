"""The order in which the next-item queue offers a project's open items (``Project.queue_order``).

- ``default``: oldest item first.
- ``uncertainty`` (active learning): each new claim is either a random one, with the project's
  ``uncertainty_random_share``, or an uncertain one. A random claim takes the open item that
  comes first in a fixed random order (each item's hash draw, ``item_draw``), whichever side of
  the gold split it will be on. An uncertain claim takes the item the live document-sentiment
  model is least sure of (``Item.uncertainty``; items it has not scored come after, oldest first),
  among the items whose gold will train models: an item bound for held-out gold
  (``GoldSplit.for_item``) is only ever handed out by a random claim, so the held-out gold that
  measures every model version is a random sample of the pool, never the model's own choice.
  Whether a claim is random is decided by a hash of (project, annotator, how many items the
  annotator has had in the project): the same on every run, and true for ``share`` of claims.

Overlap, leases and row locking are the queue's (``queue``); this module only orders candidates.
"""

import hashlib

from django.db.models import BigIntegerField, ExpressionWrapper, F, QuerySet

from .models import HELD_OUT_ONE_IN, Item, Project, item_draw_sql

# blake2b's first 8 bytes as an integer, over this, is uniform in [0, 1).
_HASH_SPAN = 2**64


def claim_is_random(*, project: Project, annotator_id: int, claims: int) -> bool:
    """Whether the annotator's claim number ``claims`` (how many items they have had in the
    project before it) in an uncertainty-ordered project takes a random item. Deterministic."""
    digest = hashlib.blake2b(f"{project.pk}:{annotator_id}:{claims}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / _HASH_SPAN < project.uncertainty_random_share


def candidate_orders(candidates: QuerySet[Item], *, project: Project, annotator_id: int,
                     claims: int | None) -> list[QuerySet[Item]]:
    """``candidates`` in the orders to try, in turn, for one claim: the first that yields an item
    wins. ``claims`` is needed for the uncertainty order only (see ``claim_is_random``)."""
    if project.queue_order != Project.QueueOrder.UNCERTAINTY:
        return [candidates.order_by("id")]
    at_random = candidates.alias(draw=item_draw_sql()).order_by("draw", "id")
    if claim_is_random(project=project, annotator_id=annotator_id, claims=claims or 0):
        return [at_random]
    held_out_draw = ExpressionWrapper(item_draw_sql() % HELD_OUT_ONE_IN, output_field=BigIntegerField())
    uncertain = (candidates.alias(held_out_draw=held_out_draw).exclude(held_out_draw=0)
                 .order_by(F("uncertainty").desc(nulls_last=True), "id"))
    # Every train-side item taken (or being taken): the rest are still handed out, at random.
    return [uncertain, at_random]
