"""Fitted parameters that ship beside the engine's code as JSON files (``fusion_params.json``,
``relate_params.json``): written by the benches with `save_params`, read once through `Shipped`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def save_params(path: str | Path, data: dict[str, Any]) -> None:
    """Write ``data`` as a parameters file: JSON indented by one, keys sorted, a newline at the end."""
    Path(path).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


class Shipped(Generic[T]):
    """The parameters in the file at ``path``, rebuilt by ``from_dict``: read the first time they are asked
    for and kept; ``default()`` when the file is absent."""

    def __init__(
        self, path: Path, from_dict: Callable[[dict[str, Any]], T], default: Callable[[], T]
    ) -> None:
        self.path = path
        self.from_dict = from_dict
        self.default = default
        self._loaded: T | None = None

    def load(self, path: str | Path | None = None) -> T:
        """The shipped parameters (kept after the first call), or those in the file at ``path`` (read each
        time)."""
        if path is not None:
            return self._read(path)
        if self._loaded is None:
            self._loaded = self._read(self.path) if self.path.exists() else self.default()
        return self._loaded

    def _read(self, path: str | Path) -> T:
        return self.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
