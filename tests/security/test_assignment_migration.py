"""Migrations 0009-0011: assignments keep their item's project, and an annotator who held
several active items of a project keeps the oldest active, the others queued."""

import pytest
from django.utils import timezone

from tests.migrations import latest_schema_afterwards, migrate  # noqa: F401  (a fixture)

BEFORE = [("annotations", "0008_membership_one_row_per_role")]
AFTER = [("annotations", "0011_assignment_one_active_per_project")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_afterwards")
def test_extra_active_assignments_are_queued_and_every_assignment_knows_its_project():
    old = migrate(BEFORE)
    User, Article = old.get_model("auth", "User"), old.get_model("ingest", "Article")
    Project, Item = old.get_model("annotations", "Project"), old.get_model("annotations", "Item")
    Assignment = old.get_model("annotations", "Assignment")
    ana, ben = User.objects.create(username="ana"), User.objects.create(username="ben")
    project = Project.objects.create(name="Desk")
    items = [Item.objects.create(project=project, article=Article.objects.create(
        title=f"A{n}", body=f"Text {n}.", raw_text=f"Text {n}.", content_hash=f"{n:064x}", minhash=b""))
        for n in range(3)]
    lease = timezone.now()
    held = [Assignment.objects.create(item=item, annotator=ana, leased_until=lease) for item in items]
    bens = Assignment.objects.create(item=items[0], annotator=ben, leased_until=lease)

    new = migrate(AFTER)

    Assignment = new.get_model("annotations", "Assignment")
    statuses = dict(Assignment.objects.values_list("pk", "status"))
    assert [statuses[a.pk] for a in held] == ["active", "queued", "queued"]
    assert statuses[bens.pk] == "active"
    assert set(Assignment.objects.values_list("project_id", flat=True)) == {project.pk}
