"""Browser pages in the admin's style: labeling, review, import, export, the dashboard and the
schema editor.

Each page keeps its reads beside it. A small page is one module (``home``, ``imports``,
``exports``, ``review``, ``schema``: views and their reads); a bigger one is a package (``labeling/``,
``dashboard/``: ``views``, ``selectors`` and its own helpers). Each page module defines its own
``urlpatterns``, gathered in ``urls``; ``base`` holds the role checks all pages share.

Pages are thin: they check the caller's role, render a template, and leave the writes to
the services and the REST API that the page's script calls. They may import every other part
of ``annotations`` and ``ingest``; nothing imports them but the URL configuration.
"""
