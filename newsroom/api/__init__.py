"""Project-wide API plumbing: pagination, the error envelope, the OpenAPI schema's error statuses,
shared query filters, the router."""
