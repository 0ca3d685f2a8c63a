"""Drafts of what is being typed (a meeting report), kept on disk so a crash or a closed terminal
loses nothing: one small JSON file per draft in the user's data folder, one folder per database."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any


def draft_path(folder: Path, db_key: str, kind: str, item_id: int) -> Path:
    digest = hashlib.sha256(db_key.encode("utf-8")).hexdigest()[:16]
    return folder / digest / f"{kind}-{int(item_id)}.json"


def save_draft(path: Path, data: dict[str, Any]) -> None:
    """Write atomically (a half-written draft would be worse than none)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def load_draft(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def drop_draft(path: Path) -> None:
    path.unlink(missing_ok=True)
