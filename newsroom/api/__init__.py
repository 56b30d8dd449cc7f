"""Project-wide API plumbing: pagination, the error envelope, the router."""
