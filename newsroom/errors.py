"""Domain errors raised by services; the API maps them to HTTP statuses."""


class DomainError(Exception):
    """A request that the domain refuses; maps to 400 unless a subclass says otherwise."""

    code = "invalid"

    def __init__(self, message, *, detail=None):
        super().__init__(message)
        self.detail = detail


class Conflict(DomainError):
    """The request is valid but conflicts with the current state (e.g. a stale version)."""

    code = "conflict"


class Stale(DomainError):
    """The object changed since the client read it (its If-Match names another version): the
    write is refused so that nobody's edit is silently lost."""

    code = "stale"
