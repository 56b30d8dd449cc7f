"""The item browser: find items of a project by search, filters and sort, page through them
by keyset, open one to label or review it, and act on a selection (reviewers and managers)."""
