"""CoNLL read back exactly: a CoNLL-2003 file imported as gold exports byte for byte the same, and
`spacy convert` of an export makes one document per article, the same as the DocBin export."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient
from spacy.tokens import DocBin

from annotations.gold import gold_accept
from annotations.models import Gold
from annotations.validation import SpanInput
from ingest.models import Article
from tests.factories import ArticleFactory, ItemFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db

# Written for these tests in the layout of our export: hyphenated names and words (Kell-Ardan,
# Jean-Luc, Anna-Lise Okonkwo-Berg, O'Hara-Diaz, sea-wall), dates (1996-12-06), scores (2-1),
# three -DOCSTART- documents, entities of one to three tokens, quotes, brackets, "--", "...", "'s";
# and tokens and sentences spaCy would make otherwise ("km/h" one token, "... km/h . Crews ..." one sentence).
CONLL_2003 = (Path(__file__).parent / "export_fixtures" / "conll2003.conll").read_bytes()
# Written for these tests: hyphens, a date, a line break, a double space and a tab between words.
BODY = "Bre-X chief Jean-Luc Picard met Anna-Lise Berg on 1996-12-06 in Tolvik.\n\nThe well-known  firm\tsaid no."


def span(text, label):
    start = BODY.index(text)
    return SpanInput(start, start + len(text), label, text)


def project_with_conll_labels():
    project = ProjectFactory(schema=False)
    for label in ("PER", "ORG", "LOC", "MISC"):
        project.entity_types.create(name=label)
    return project


def upload(project, data, fmt="conll", name="train.conll"):
    client = APIClient()
    client.force_authenticate(member(project, "manager"))
    files = {"file": SimpleUploadedFile(name, data), "format": fmt}
    return client.post(f"/api/projects/{project.pk}/label-imports/", files, format="multipart")


def export(project, fmt, **params):
    client = APIClient()
    client.force_authenticate(UserFactory(is_staff=True))
    response = client.get(f"/api/projects/{project.pk}/export/", {"export_format": fmt, **params})
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def as_iob1(conll: bytes) -> bytes:
    """The same file with IOB1 tags: an entity starts with I- unless it follows one of its type."""
    lines, previous = [], "O"
    for line in conll.decode().split("\n"):
        columns = line.split(" ")
        if len(columns) == 4 and columns[0] != "-DOCSTART-":
            tag = columns[3]
            if tag.startswith("B-") and previous[2:] != tag[2:]:
                columns[3] = "I-" + tag[2:]
            previous = tag
            line = " ".join(columns)
        else:
            previous = "O"
        lines.append(line)
    return "\n".join(lines).encode()


def as_two_columns(conll: bytes) -> bytes:
    """Token and tag only, tab-separated, with the CoNLL-2003 document line."""
    lines = []
    for line in conll.decode().split("\n"):
        columns = line.split(" ")
        if columns[0] == "-DOCSTART-":
            lines.append("-DOCSTART- -X- -X- O")
        else:
            lines.append("\t".join([columns[0], columns[-1]]) if len(columns) == 4 else line)
    return "\n".join(lines).encode()


def test_a_conll_2003_file_imported_as_gold_exports_byte_identical():
    project = project_with_conll_labels()

    response = upload(project, CONLL_2003)

    assert response.status_code == 201, response.data
    assert (response.data["created"], response.data["failed"]) == (3, 0)
    assert export(project, "conll") == CONLL_2003


def test_the_imported_text_is_tokens_joined_by_spaces_and_sentences_by_line_breaks():
    project = project_with_conll_labels()
    upload(project, CONLL_2003)

    article = Article.objects.filter(items__project=project).order_by("items__id").first()

    assert article.body.startswith("KELL-ARDAN SHARES JUMP AFTER ASSAY REPORT\nTOLVIK 1996-12-06\nShares of Kell-Ardan")
    assert article.body == article.raw_text and article.title == "KELL-ARDAN SHARES JUMP AFTER ASSAY REPORT"
    first, second = article.tokens[:2]
    assert [article.body[start:end] for start, end in second] == ["TOLVIK", "1996-12-06"]
    gold = Gold.objects.get(item__article=article, status=Gold.Status.ACCEPTED)
    assert [(s.text, s.label, s.origin) for s in gold.spans.order_by("start")][:3] == [
        ("KELL-ARDAN", "ORG", "imported"), ("TOLVIK", "LOC", "imported"), ("Kell-Ardan Minerals Ltd", "ORG", "imported")]


@pytest.mark.parametrize("variant", [as_iob1, as_two_columns], ids=["iob1-tags", "two-columns"])
def test_iob1_tags_and_two_column_files_read_as_the_same_gold(variant):
    project = project_with_conll_labels()
    assert variant(CONLL_2003) != CONLL_2003

    response = upload(project, variant(CONLL_2003))

    assert (response.data["created"], response.data["failed"]) == (3, 0), response.data
    assert export(project, "conll") == CONLL_2003


def test_a_bad_tag_fails_its_document_and_the_others_import():
    broken = CONLL_2003.replace(b"Tolvik -X- _ B-ORG", b"Tolvik -X- _ ORG", 1)
    project = project_with_conll_labels()

    response = upload(project, broken)

    assert (response.data["created"], response.data["failed"]) == (2, 1)
    assert response.data["errors"][0]["origin"] == "train.conll:1"
    assert "'ORG' is none of O, B-<label>, I-<label>" in response.data["errors"][0]["message"]


def test_an_article_without_its_own_tokens_exports_hyphenated_words_whole():
    project = ProjectFactory(schema=False)
    project.entity_types.create(name="PER")
    item = ItemFactory(project=project, article=ArticleFactory(body=BODY))
    gold_accept(item=item, reviewer=None, spans=[span("Jean-Luc Picard", "PER")])

    lines = export(project, "conll").decode().split("\n")

    assert lines[:3] == ["-DOCSTART- -X- O O", "", "Bre-X -X- _ O"]
    assert "Jean-Luc -X- _ B-PER" in lines and "Picard -X- _ I-PER" in lines
    assert "1996-12-06 -X- _ O" in lines and "well-known -X- _ O" in lines


def spacy_convert(conll: bytes, tmp_path: Path) -> list:
    """The docs `python -m spacy convert` makes of a CoNLL export (its converter chosen by the extension)."""
    source, output = tmp_path / "export.conll", tmp_path / "converted"
    source.write_bytes(conll)
    output.mkdir()
    subprocess.run([sys.executable, "-m", "spacy", "convert", str(source), str(output)],
                   check=True, capture_output=True, text=True)
    import spacy

    return list(DocBin().from_disk(output / "export.spacy").get_docs(spacy.blank("xx").vocab))


def words_and_entities(doc) -> tuple[list[str], list[tuple[str, int, int]]]:
    """A doc's non-whitespace tokens, and its entities as (label, first word, last word + 1)."""
    index = {}
    for token in doc:
        if not token.is_space:
            index[token.i] = len(index)
    words = [token.text for token in doc if not token.is_space]
    entities = [(e.label_, index[e.start], index[e.end - 1] + 1) for e in doc.ents]
    return words, entities


def test_spacy_convert_makes_one_document_per_article_like_the_docbin_export(tmp_path):
    project = project_with_conll_labels()
    upload(project, CONLL_2003)
    item = ItemFactory(project=project, article=ArticleFactory(body=BODY))
    gold_accept(item=item, reviewer=None, spans=[span("Bre-X", "ORG"), span("Jean-Luc Picard", "PER"),
                                                  span("Anna-Lise Berg", "PER")])

    converted = spacy_convert(export(project, "conll"), tmp_path)
    exported = list(DocBin().from_bytes(export(project, "spacy")).get_docs(converted[0].vocab))

    assert len(converted) == len(exported) == 4
    assert [words_and_entities(doc) for doc in converted] == [words_and_entities(doc) for doc in exported]
    assert [doc.text for doc in exported[:3]] == [a.body for a in Article.objects.filter(
        items__project=project).order_by("items__id")[:3]]
    assert words_and_entities(exported[3]) == (
        ["Bre-X", "chief", "Jean-Luc", "Picard", "met", "Anna-Lise", "Berg", "on", "1996-12-06", "in", "Tolvik", ".",
         "The", "well-known", "firm", "said", "no", "."],
        [("ORG", 0, 1), ("PER", 2, 4), ("PER", 5, 7)])
