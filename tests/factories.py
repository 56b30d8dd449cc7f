"""factory_boy factories for the suite."""

import factory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("secret-pass-123")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ingest.Source"
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Outlet {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ingest.Article"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Story {n}")
    body = factory.Sequence(lambda n: f"Mayor Ana Reyes opened bridge {n} in Portvale on Monday. Crowds cheered.")
    raw_text = factory.LazyAttribute(lambda a: f"{a.title}\n\n{a.body}")
    source = factory.SubFactory(SourceFactory)
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    minhash = b""

    @factory.post_generation
    def search_vector(article, create, extracted, **kwargs):
        """Built, as by the job after an import; ``search_vector=False``: as if it had not run yet."""
        if create and extracted is not False:
            from ingest.search import search_vectors_store

            search_vectors_store(article_ids=[article.pk])


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "annotations.Project"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Project {n}")
    overlap = 2

    @factory.post_generation
    def schema(project, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        for name, key in (("PERSON", "p"), ("ORG", "o"), ("GPE", "g")):
            project.entity_types.create(name=name, hotkey=key)
        politics = project.topics.create(name="Politics")
        project.topics.create(name="Elections", parent=politics)
        project.topics.create(name="Economy")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "annotations.Item"

    project = factory.SubFactory(ProjectFactory)
    article = factory.SubFactory(ArticleFactory)


def member(project, role="annotator", **user_fields):
    """A new user with ``role`` in ``project``."""
    user = UserFactory(**user_fields)
    project.memberships.create(user=user, role=role)
    return user


def label(item, annotator, *, sentiment="", topics=(), spans=(), **submit):
    """Assign ``item`` to ``annotator`` (as a manager would) and submit their labels; spans are
    (words, label) pairs, found at their first occurrence in the article body. ``submit`` passes
    on ``rejected`` and ``pending`` (what to do with the item's suggestions)."""
    # Imported on use, like the models named by string above: loading the factories loads no app code.
    from annotations.queue import assignment_create
    from annotations.services import annotation_submit
    from annotations.validation import SpanInput

    assert assignment_create(item=item, annotator=annotator), "the item could not be assigned to them"
    body = item.article.body
    return annotation_submit(item=item, annotator=annotator, sentiment=sentiment, topics=topics,
                             spans=[SpanInput(body.index(words), body.index(words) + len(words), name, words)
                                    for words, name in spans], **submit)
