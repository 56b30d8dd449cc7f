"""Imports of labels made elsewhere (our JSONL, Label Studio, doccano, CoNLL) as a project's gold.

The text of every document is stored verbatim as an article body (cleaning would shift the
offsets), with the file's tokens if it has them, and joins the project as an item. A labelled
document's labels, mapped onto the project's names, become the item's gold with their provenance
(see imported_provenance); an unlabelled one stays an item without gold, to be labelled here,
whose offsets still match the other tool's (and any gold imported for it later).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ingest.verbatim import article_store_verbatim
from newsroom.errors import DomainError

from ..models import Gold, Item, PreannotationRun, Project
from ..preannotation.runs import preannotation_enqueue
from ..projects import TOPIC_PATH_SEPARATOR, project_label_rules, topic_paths
from ..gold import gold_accept
from ..validation import LabelRules, SpanInput, labels_validate
from .formats import Labels
from .imported_provenance import document_provenance, gold_provenance_store, span_provenance
from .importers import ImportedDocument, LabelImportError, parse_labels

# Errors kept in one result, so that a hopeless file cannot make a huge response; the count is complete.
MAX_REPORTED_ERRORS = 1000
# Known names quoted in an "unknown label" or "unknown topic" message.
MAX_NAMES_QUOTED = 30
# Formats whose documents name an annotator only when they are not gold (our export's gold has none).
GOLD_WITHOUT_ANNOTATOR = ("newsroom",)

LabelKey = tuple[str, tuple[int, ...], tuple[tuple, ...]]


@dataclass(frozen=True, slots=True)
class DocumentError:
    """One document of the file that was not imported, and why."""

    origin: str  # "<file>:<line or task number>"
    message: str


@dataclass(slots=True)
class LabelImportResult:
    """What one import did, per document of the file."""

    created: int = 0  # became the first gold of its item
    updated: int = 0  # replaced the item's different gold
    unchanged: int = 0  # the item's gold already had these labels
    unlabelled: int = 0  # no labels: the text is an item of the project without gold
    skipped: int = 0  # annotators' labels: not gold, so not imported
    failed: int = 0
    errors: list[DocumentError] = field(default_factory=list)  # the first MAX_REPORTED_ERRORS failures

    def fail(self, origin: str, message: str) -> None:
        self.failed += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(DocumentError(origin, message))


class _Names:
    """A project's names for one kind of label: exact, else case-insensitive where unambiguous."""

    def __init__(self, values: dict[str, object]):
        self.exact = values
        folded: dict[str, list] = {}
        for name, value in values.items():
            folded.setdefault(name.casefold(), []).append(value)
        self.folded = {name: found[0] for name, found in folded.items() if len(set(found)) == 1}

    def get(self, name: str):
        return self.exact[name] if name in self.exact else self.folded.get(name.casefold())

    def quoted(self) -> str:
        names = sorted(self.exact)
        more = f" (and {len(names) - MAX_NAMES_QUOTED} more)" if len(names) > MAX_NAMES_QUOTED else ""
        return ", ".join(names[:MAX_NAMES_QUOTED]) + more if names else "none"


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    entity_types: _Names
    sentiments: _Names
    topics: _Names  # "Parent/Child" paths, and leaf names that occur once in the taxonomy


def labels_import(
    *, project: Project, data: bytes, fmt: str, user, choice_fields: dict[str, str] | None = None,
    annotator_labels: bool = False, origin: str = "upload",
) -> LabelImportResult:
    """Import the gold labels of one exported file into ``project``; report every other document.

    Gold documents are our export's gold (annotator None), and every labelled document of a
    Label Studio or doccano file unless ``annotator_labels`` says the file holds annotators'
    labels; annotators' labels are counted as skipped. Per document, in its own transaction: the
    text is stored verbatim (ingest.verbatim) and the item got or created; a gold document's
    labels, mapped onto the project's entity types, sentiment scale and topics, become the item's
    gold (origin "import", reviewer ``user``), superseding a different gold; a document without
    labels leaves the item as it is (counted unlabelled), and the project's predictors are
    enqueued over those items after the commit. A bad document is an error of the result; the
    others are still imported. Idempotent: labels equal to the item's accepted gold and texts
    already stored create nothing, so re-importing a file changes nothing. Of two documents of
    one file with the same text, the first is imported and a second with other labels is an
    error. Raises DomainError for an unknown format or bad choice_fields.
    """
    try:
        documents = parse_labels(data, fmt=fmt, origin=origin, choice_fields=choice_fields,
                                 sentiment_labels=project.sentiment_scale)
    except ValueError as error:
        raise DomainError(str(error)) from error
    vocabulary, rules = _vocabulary(project), project_label_rules(project)
    result = LabelImportResult()
    imported: dict[int, tuple[str, LabelKey]] = {}  # item id -> (origin, labels) of its gold from this file
    unlabelled_items: set[int] = set()
    for document in documents:
        if isinstance(document, LabelImportError):
            result.fail(document.origin, document.message)
        elif document.labels is None:
            _import_text(project, document, unlabelled_items, result)
        elif not _is_gold(document, fmt, annotator_labels):
            result.skipped += 1
        else:
            _import_document(project, document, vocabulary, rules, user, imported, result)
    if unlabelled_items:
        preannotation_enqueue(project=project, items=Item.objects.filter(pk__in=unlabelled_items),
                              trigger=PreannotationRun.Trigger.IMPORT, skip_broken=True)
    return result


def _is_gold(document: ImportedDocument, fmt: str, annotator_labels: bool) -> bool:
    if fmt in GOLD_WITHOUT_ANNOTATOR:
        return document.annotator is None
    return not annotator_labels


def _import_document(project: Project, document: ImportedDocument, vocabulary: _Vocabulary, rules: LabelRules, user,
                     imported: dict[int, tuple[str, LabelKey]], result: LabelImportResult) -> None:
    """Import one gold document and count the outcome; any problem becomes its error."""
    try:
        sentiment, topics, spans, provenance = _mapped(document, vocabulary, rules)
        key = _key(sentiment, topics, [(s.start, s.end, s.label, s.text, s.sentiment) for s in spans])
        with transaction.atomic():
            item = _item(project, document)
            if item.pk in imported:
                _check_same_as_earlier(imported[item.pk], key)
                outcome = "unchanged"
            else:
                outcome = _gold_store(item, user, sentiment, topics, spans, provenance, key)
    except (DomainError, IntegrityError, DataError) as error:
        result.fail(document.origin, _describe(error))
        return
    imported.setdefault(item.pk, (document.origin, key))
    setattr(result, outcome, getattr(result, outcome) + 1)


def _import_text(project: Project, document: ImportedDocument, items: set[int], result: LabelImportResult) -> None:
    """Store an unlabelled document's text verbatim as an item of the project, without gold, and
    count it; a text that cannot be stored becomes its error."""
    try:
        with transaction.atomic():
            item = _item(project, document)
    except (DomainError, IntegrityError, DataError) as error:
        result.fail(document.origin, _describe(error))
        return
    items.add(item.pk)
    result.unlabelled += 1


def _check_same_as_earlier(earlier: tuple[str, LabelKey], key: LabelKey) -> None:
    origin, earlier_key = earlier
    if key != earlier_key:
        raise DomainError(f"The same text as {origin}, with other labels; an item has one gold, so only the "
                          f"labels of {origin} were imported.")


def _item(project: Project, document: ImportedDocument) -> Item:
    article, _ = article_store_verbatim(
        text=document.text, title=document.title, url=document.url, byline=document.byline,
        source_name=document.source, published_at=_published(document.published_at), dateline=document.dateline,
        language=document.language, tokens=document.tokens,
    )
    return Item.objects.get_or_create(project=project, article=article)[0]  # counted as it is created


def _gold_store(item: Item, user, sentiment: str, topics: list[int], spans: list[SpanInput], provenance: dict,
                key: LabelKey) -> str:
    """Make the labels the item's gold, with their provenance, unless they already are: "created",
    "updated" or "unchanged" (equal labels keep the gold they have, and its provenance)."""
    current = item.gold.filter(status=Gold.Status.ACCEPTED).prefetch_related("spans").first()
    if current is not None:
        current_spans = [(s.start, s.end, s.label, s.text, s.sentiment) for s in current.spans.all()]
        if _key(current.sentiment, current.topics, current_spans) == key:
            return "unchanged"
    gold = gold_accept(item=item, reviewer=user, sentiment=sentiment, topics=topics, spans=spans,
                       origin=Gold.Origin.IMPORT)
    gold_provenance_store(gold=gold, provenance=provenance, spans=spans)
    return "created" if current is None else "updated"


def _key(sentiment: str, topics, spans: list[tuple]) -> LabelKey:
    """Labels in a comparable form: order of topics and spans does not matter."""
    return sentiment, tuple(sorted(set(topics))), tuple(sorted(spans))


def _mapped(document: ImportedDocument, vocabulary: _Vocabulary,
            rules: LabelRules) -> tuple[str, list[int], list[SpanInput], dict]:
    """The document's labels in the project's terms, checked against its text, and their
    provenance; DomainError naming every problem otherwise."""
    labels: Labels = document.labels
    problems: list[str] = []
    sentiment = _sentiment(labels.sentiment, vocabulary, problems, "sentiment")
    named_topics = []
    for name in labels.topics:
        topic = vocabulary.topics.get(_path(name))
        if topic is None:
            problems.append(f"topic {name!r} is not in the project's taxonomy: {vocabulary.topics.quoted()}")
        else:
            named_topics.append((name, topic))
    topics = [topic for _, topic in named_topics]
    spans = []
    for span in labels.spans:
        label = vocabulary.entity_types.get(span.label)
        if label is None:
            problems.append(f"label {span.label!r} is not one of the project's entity types: "
                            f"{vocabulary.entity_types.quoted()}")
            continue
        entity_sentiment = _sentiment(span.sentiment, vocabulary, problems, f"sentiment toward {span.text!r}")
        spans.append(SpanInput(span.start, span.end, label, span.text, entity_sentiment,
                               **span_provenance(span, entity_sentiment)))
    if not problems:
        invalid = labels_validate(body=document.text, rules=rules, sentiment=sentiment, topics=topics, spans=spans)
        problems += [f"{name}: {message}" for name, messages in invalid.items() for message in messages]
    if problems:
        raise DomainError("; ".join(problems))
    return sentiment, topics, spans, document_provenance(labels, sentiment, named_topics)


def _sentiment(value: str | None, vocabulary: _Vocabulary, problems: list[str], what: str) -> str:
    if not value:
        return ""
    mapped = vocabulary.sentiments.get(value)
    if mapped is None:
        problems.append(f"{what} {value!r} is not on the project's scale: {vocabulary.sentiments.quoted()}")
        return ""
    return mapped


def _vocabulary(project: Project) -> _Vocabulary:
    topics = list(project.topics.all())
    paths = {path: pk for pk, path in topic_paths(topics).items()}
    leaves: dict[str, list[int]] = {}
    for topic in topics:
        leaves.setdefault(topic.name, []).append(topic.pk)
    unique_leaves = {name: ids[0] for name, ids in leaves.items() if len(ids) == 1 and name not in paths}
    return _Vocabulary(
        entity_types=_Names({name: name for name in project.entity_types.values_list("name", flat=True)}),
        sentiments=_Names({value: value for value in project.sentiment_scale}),
        topics=_Names({**unique_leaves, **paths}),
    )


def _path(name: str) -> str:
    """A topic path with the spaces around its separators removed ("Parent / Child" is "Parent/Child")."""
    return TOPIC_PATH_SEPARATOR.join(part.strip() for part in name.split(TOPIC_PATH_SEPARATOR))


def _published(value: str | None) -> datetime | None:
    """An ISO date or date-time as an aware datetime; None when missing or unreadable (metadata
    never stops labels from being imported)."""
    if not value:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = datetime(day.year, day.month, day.day)
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _describe(error: Exception) -> str:
    if isinstance(error, DomainError):
        # Field errors of gold_accept's validation, {field: [messages]}, belong in the one line too.
        detail = error.detail if isinstance(error.detail, dict) else {}
        details = [f"{name}: {message}" for name, messages in detail.items() if isinstance(messages, list)
                   for message in messages]
        return "; ".join([str(error), *details])
    return f"could not store it ({type(error).__name__})"
