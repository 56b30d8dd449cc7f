"""Fitted models this app writes to bytes and reads back itself (scikit-learn learners): one
``to_bytes`` / ``from_bytes`` pair for all of them. Pure: no Django imports."""

from __future__ import annotations

import pickle
from typing import Self


class PickledModel:
    """Mixed into a model class: its instances round-trip through ``to_bytes`` / ``from_bytes``."""

    def to_bytes(self) -> bytes:
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, data: bytes) -> Self:
        """Unpickle a model. Unpickling runs code named in the data, which is safe here only because
        the bytes are ones this app wrote itself with to_bytes (never an upload or a download).
        Raises ValueError when the bytes hold another class."""
        model = pickle.loads(data)
        if not isinstance(model, cls):
            raise ValueError(f"not a {cls.__name__}: {type(model).__name__}")
        return model
