"""Browser pages in the admin's style: labeling, review, import, export and the dashboard.

One module per page; each defines its own ``urlpatterns``, gathered in ``pages.urls``.
Pages are thin: they check the caller's role, render a template, and leave the work to
the services, selectors and the REST API that the page's script calls.
"""
