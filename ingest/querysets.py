"""Reusable article filters."""

from django.db import models


class ArticleQuerySet(models.QuerySet):
    def in_batch(self, batch):
        return self.filter(import_batch=batch)

    def in_story(self, cluster):
        return self.filter(story_cluster=cluster)

    def published_between(self, start=None, end=None):
        qs = self
        if start:
            qs = qs.filter(published_at__gte=start)
        if end:
            qs = qs.filter(published_at__lt=end)
        return qs
