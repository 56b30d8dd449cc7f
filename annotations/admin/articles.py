"""The corpus' article list, with an action that adds the chosen articles to a project.

The article list's filters (source, import batch, publication date) and search choose the
articles; "select all" takes every match. ingest knows nothing of projects, so labeling
registers the article admin again with the action (ingest's admin is loaded first).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm

from ingest.admin import ArticleAdmin
from ingest.models import Article

from ..intake import project_articles_add
from ..models import Project


class ProjectActionForm(ActionForm):
    project = forms.ModelChoiceField(queryset=Project.objects.order_by("name"), required=False,
                                     label="Project (for “add to project”)")


class LabelingArticleAdmin(ArticleAdmin):
    action_form = ProjectActionForm
    actions = ["add_to_project"]

    @admin.action(description="Add the selected articles to the project chosen above", permissions=["view"])
    def add_to_project(self, request, queryset):
        project = Project.objects.filter(pk=request.POST.get("project") or None).first()
        if project is None:
            messages.error(request, "Choose the project to add the articles to.")
            return
        result = project_articles_add(project=project, articles=queryset)
        messages.success(request, f"{project}: {result.added} articles added, {result.already_present} were "
                                  "items already.")


admin.site.unregister(Article)
admin.site.register(Article, LabelingArticleAdmin)
