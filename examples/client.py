"""Newsroom over its API with only `requests`: a manager creates two annotators, imports articles
verbatim into a project, both annotators label through next/submit, the manager accepts gold,
then gold and annotations are exported. Prints a JSON summary as its last line.

Environment: NEWSROOM_URL (http://127.0.0.1:8000), NEWSROOM_USERNAME and NEWSROOM_PASSWORD (a
manager; `make demo`: admin / newsroom-demo), NEWSROOM_PROJECT (a project they manage; unset:
staff create a new one).
"""

import csv
import io
import json
import os
import time
from urllib.parse import urlsplit

import requests

BASE = os.environ.get("NEWSROOM_URL", "http://127.0.0.1:8000").rstrip("/")
ANNOTATOR_PASSWORD = "harbour-lights-2024"
# Verbatim: the text stays exactly as sent (CRLF, double spaces), so offsets computed here stay valid.
ARTICLES = [
    {"title": "Pier closes", "text": "Mayor Elena Brandt closed the Portvale pier.\r\nRepairs  start Monday."},
    {"title": "Ferry returns", "text": "The Bluewake ferry returns to Lowmere, said Tomas Reyes.\r\nFares stay low."},
]
ENTITIES = {"Elena Brandt": "PERSON", "Portvale": "GPE", "Tomas Reyes": "PERSON", "Lowmere": "GPE"}


def call(session, method, path, expected=(200, 201), **kwargs):
    response = session.request(method, BASE + path, timeout=30, **kwargs)
    if response.status_code not in expected:
        raise SystemExit(f"{method} {path}: {response.status_code} {response.text}")
    return response


def every(session, path, params=None):
    """Every row of a list: its pages follow one another through their `next` links."""
    page = call(session, "GET", path, params=params).json()
    rows = page["results"]
    while page["next"]:
        link = urlsplit(page["next"])  # the path and cursor; the host is BASE's
        page = call(session, "GET", f"{link.path}?{link.query}").json()
        rows += page["results"]
    return rows


def signed_in(username, password):
    """A session that sends the user's own token (created on first use)."""
    token = call(requests, "POST", "/api/auth/token/", json={"username": username, "password": password})
    session = requests.Session()
    session.headers["Authorization"] = "Token " + token.json()["token"]
    return session


def project_for(manager):
    if os.environ.get("NEWSROOM_PROJECT"):
        return int(os.environ["NEWSROOM_PROJECT"])
    name = f"API example {time.strftime('%Y%m%d-%H%M%S')}"
    project = call(manager, "POST", "/api/projects/", json={"name": name, "intake": "manual", "overlap": 2}).json()
    for label in ("PERSON", "GPE"):
        call(manager, "POST", f"/api/projects/{project['id']}/entity-types/", json={"name": label})
    return project["id"]


def annotator(manager, project, name):
    """Create the annotator in the project (or, when the name is taken, make them a member)."""
    username = f"{name}-p{project}"
    created = call(manager, "POST", "/api/users/", expected=(201, 409), json={
        "username": username, "password": ANNOTATOR_PASSWORD, "project": project, "roles": ["annotator"]})
    if created.status_code == 409:
        call(manager, "POST", f"/api/projects/{project}/members/", json={"username": username, "role": "annotator"})
    return signed_in(username, ANNOTATOR_PASSWORD)


def label_queue(session, project, sentiment):
    """Take items from the queue until it is empty; label each article's entities. Returns the count."""
    done = 0
    while (item := call(session, "POST", f"/api/projects/{project}/next/", expected=(200, 204))).status_code == 200:
        item = item.json()
        body = item["body"]
        spans = [{"start": body.index(words), "end": body.index(words) + len(words), "label": label, "text": words}
                 for words, label in ENTITIES.items() if words in body]
        call(session, "POST", f"/api/items/{item['id']}/annotations/",
             json={"sentiment": sentiment, "spans": spans, "pending": "reject"})
        done += 1
    return done


def main():
    manager = signed_in(os.environ.get("NEWSROOM_USERNAME", "admin"), os.environ.get("NEWSROOM_PASSWORD", ""))
    project = project_for(manager)
    ana, ben = annotator(manager, project, "ana"), annotator(manager, project, "ben")

    batch = call(manager, "POST", "/api/imports/", json={"articles": ARTICLES, "project": project, "verbatim": True})
    while batch.json()["status"] in ("pending", "running"):  # 202: a worker imports it; done = items exist
        time.sleep(1)
        batch = call(manager, "GET", f"/api/imports/{batch.json()['id']}/")
    assert batch.json()["status"] == "done", batch.json()

    labelled = {"ana": label_queue(ana, project, "positive"), "ben": label_queue(ben, project, "neutral")}

    for item in every(manager, "/api/items/", {"project": project}):  # the manager reviews: Ana's labels become gold
        annotations = call(manager, "GET", f"/api/items/{item['id']}/annotations/").json()
        chosen = next(a for a in annotations if a["annotator"].startswith("ana-"))
        call(manager, "POST", f"/api/items/{item['id']}/gold/", json={"annotation": chosen["id"]})

    export = call(manager, "GET", f"/api/projects/{project}/export/",
                  params={"export_format": "jsonl", "labels": "both", "gold_only": "false"})
    records = [json.loads(line) for line in export.text.splitlines()]
    table = call(manager, "GET", f"/api/projects/{project}/export/",
                 params={"export_format": "csv", "labels": "annotations", "gold_only": "false"})
    rows = list(csv.DictReader(io.StringIO(table.text, newline="")))
    print(json.dumps({"project": project, "batch": batch.json()["id"], "labelled": labelled,
                      "records": [[r["labeled_by"], r["title"]] for r in records],
                      "offsets_valid": all(r["text"][s["start"]:s["end"]] == s["text"]
                                           for r in records for labels in [r["gold"] or r["annotations"][0]["labels"]]
                                           for s in labels["spans"]),
                      "csv": sorted([row["labeled_by"].split("-p")[0], row["title"]] for row in rows)}))


if __name__ == "__main__":
    main()
