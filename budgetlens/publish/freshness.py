"""Skip the publish stage when nothing it reads has changed (the daily run costs what changed).

`inputs_fingerprint(con)` summarises every warehouse row the comparison tables, exports and
report are built from (`sql/publish_inputs.sql`) together with the publish code itself (the model
SQL, `budgetlens/publish/`, `budgetlens/report/`), so a new document, a status change, a quality
verdict or an upgrade of budgetlens all change it. Each publish asset records the fingerprint it
was built from in `<out_dir>/.publish_state.json`; when the current one matches and the asset's
outputs are still there, the asset keeps them instead of rebuilding them.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import duckdb

from budgetlens.publish.sqlfiles import sql_text

STATE_NAME = ".publish_state.json"
_ROOT = Path(__file__).resolve().parents[2]
# the code whose output the publish stage writes: a change of any of it rebuilds everything
CODE_GLOBS: tuple[str, ...] = (
    "warehouse/models/*.sql",
    "warehouse/models/*.py",
    "budgetlens/publish/**/*.py",
    "budgetlens/publish/**/*.sql",
    "budgetlens/report/**/*.*",
)


@cache
def code_digest(root: Path = _ROOT) -> str:
    """sha256 over the publish code's files (path and content, in a fixed order)."""
    h = hashlib.sha256()
    files = sorted(
        {p for g in CODE_GLOBS for p in root.glob(g) if p.is_file() and "__pycache__" not in p.parts}
    )
    for p in files:
        h.update(p.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def inputs_fingerprint(con: duckdb.DuckDBPyConnection, settings: dict | None = None) -> str:
    """One string that changes whenever anything the publish stage reads changes."""
    row = con.execute(sql_text("publish_inputs")).fetchone()
    payload = {"rows": [str(v) for v in row], "code": code_digest(), "settings": settings or {}}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def read_state(out_dir: Path) -> dict[str, str]:
    """asset name → the fingerprint its outputs in `out_dir` were built from ({} when unknown)."""
    try:
        data = json.loads((Path(out_dir) / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return (
        {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}
        if isinstance(data, dict)
        else {}
    )


def is_current(out_dir: Path, asset: str, fingerprint: str) -> bool:
    """True when `asset`'s outputs in `out_dir` were built from exactly this fingerprint."""
    return read_state(out_dir).get(asset) == fingerprint


def record(out_dir: Path, asset: str, fingerprint: str) -> None:
    """Remember that `asset`'s outputs in `out_dir` are now built from `fingerprint` (atomic write)."""
    from budgetlens.files import atomic_write_json

    state = read_state(out_dir)
    state[asset] = fingerprint
    atomic_write_json(Path(out_dir) / STATE_NAME, state)


def forget(out_dir: Path, asset: str) -> None:
    """Before rebuilding: a crash half-way must not leave a state claiming the old outputs are current."""
    state = read_state(out_dir)
    if asset in state:
        from budgetlens.files import atomic_write_json

        del state[asset]
        atomic_write_json(Path(out_dir) / STATE_NAME, state)
