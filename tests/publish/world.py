"""Warehouses for the publish tests, built from the sample corpus truth (as if parsed perfectly).

The truth records have the shape of parse records for the parts they hold, so the tests here do not
depend on the parser's progress. Files keep their real sha256 (from sample/manifest.json) and a raw
store under tmp_path holds the real sample PDFs, so the report's source links point at real files.
The quality stage's verdicts are taken from the truth (`quality.status`, `quality.reasons`).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from tests.warehouse.records import load_truth, luohu_record, sha, truth_to_records
from warehouse.loader import StatusUpdate, load_staged, set_statuses
from warehouse.staging import doc_ids_for, stage_records

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample"
FETCHED_AT = "2026-01-05T02:00:00+00:00"
SEED_ID = "luohu-kjcxj-2022"

# Where the seed document prints some of its figures (1-based pages of the sample PDF).
SEED_PROVENANCE = {
    "headcount.admin_actual": {"page": 3, "bbox": [72.0, 300.0, 500.0, 312.0], "source": "prose"},
    "headcount.cs_managed_actual": {"page": 3, "bbox": [72.0, 320.0, 500.0, 332.0], "source": "prose"},
    "totals.expense_total": {"page": 10, "bbox": [402.1, 610.3, 470.0, 622.8], "source": "table"},
    "totals.agency_running_cost": {"page": 7, "bbox": [72.0, 200.0, 500.0, 212.0], "source": "prose"},
    "totals.procurement_total": {"page": 23, "bbox": [300.0, 200.0, 340.0, 212.0], "source": "table"},
    "totals.three_public_total": {"page": 19, "bbox": [300.0, 200.0, 340.0, 212.0], "source": "table"},
}


@dataclass
class SampleWorld:
    """A warehouse holding the whole sample corpus, its raw store, and what the truth expects."""

    warehouse: Path | str  # a file, or a DuckLake target string
    raw_dir: Path
    doc_ids: dict[str, list[str]] = field(default_factory=dict)  # truth id -> doc_ids
    published_budgets: set[str] = field(default_factory=set)  # doc_ids the comparisons must hold
    quarantined: dict[str, str] = field(default_factory=dict)  # doc_id -> reason
    truths: dict[str, dict] = field(default_factory=dict)

    def seed_doc_id(self) -> str:
        return self.doc_ids[SEED_ID][0]


def manifest(corpus: Path = SAMPLE) -> dict:
    return json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))


def link_or_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def build_sample_world(
    root: Path, *, target: str | None = None, only: str | None = None, corpus: Path = SAMPLE
) -> SampleWorld:
    """Stage every truth record with its file's real sha256, load, apply the truth's quality verdicts.

    `target`: a warehouse target string (a DuckLake spec) instead of a file under `root`;
    `only`: load just the documents whose truth id starts with this prefix (e.g. "luohu-");
    `corpus`: another rendered corpus (same layout), e.g. data/corpus-1000 for measurements.
    """
    staging = root / "staging"
    staging.mkdir(parents=True)
    world = SampleWorld(warehouse=target or root / "wh" / "warehouse.duckdb", raw_dir=root / "raw")
    envelopes: list[Path] = []
    for doc in manifest(corpus)["documents"]:
        if only and not doc["id"].startswith(only):
            continue
        truth = load_truth(corpus / doc["truth"])
        world.truths[truth["id"]] = truth
        file_sha = doc["sha256"]
        pdf = corpus / doc["file"]
        if pdf.is_file():
            link_or_copy(pdf, world.raw_dir / file_sha[:2] / f"{file_sha}.pdf")
        records = truth_to_records(truth)
        for rec in records:
            rec["source"]["sha256"] = file_sha
        if truth["id"] == SEED_ID:
            records[0]["provenance"] = SEED_PROVENANCE
        envelopes += stage_records(
            staging,
            records,
            file_sha256=file_sha,
            source_url=f"http://127.0.0.1:8000{truth['url_path']}",
            file_name=Path(truth["file"]).name,
            jurisdiction_hint=None,
            fetched_at=FETCHED_AT,
        )
        ids = doc_ids_for(file_sha, len(records))
        world.doc_ids[truth["id"]] = ids
        quality = truth.get("quality") or {}
        for doc_id, raw in zip(ids, truth.get("records") or [], strict=False):
            if quality.get("status") == "quarantined":
                world.quarantined[doc_id] = "; ".join(quality.get("reasons") or ["quality"])
            elif not truth["expect"].get("error_code") and raw["document"]["kind"] == "budget":
                world.published_budgets.add(doc_id)
    load_staged(world.warehouse, envelopes)
    if world.quarantined:
        from warehouse.db import connect

        con = connect(world.warehouse)
        try:
            set_statuses(con, [StatusUpdate(d, "quarantined", r) for d, r in world.quarantined.items()])
        finally:
            con.close()
    return world


def hand_record(label: str, *, jurisdiction: str, department: str, fiscal_year: int, **figures) -> dict:
    """A parse record with the seed's shape, its figures replaced: `totals` / `headcount` keys by name."""
    from budgetlens.fields import HEADCOUNT_FIELDS, TOTALS_FIELDS

    rec = luohu_record(sha(label), jurisdiction=jurisdiction, department=department, fiscal_year=fiscal_year)
    rec["source"]["file"] = f"{label}.pdf"
    rec["provenance"] = {}
    rec["warnings"] = []
    for key, value in figures.items():
        if key in TOTALS_FIELDS:
            rec["totals"][key] = value
        elif key in HEADCOUNT_FIELDS:
            rec["headcount"][key] = value
        else:
            raise KeyError(key)
    return rec


def load_hand_records(wh: Path, staging: Path, records: dict[str, dict]) -> dict[str, str]:
    """Stage and load hand-made records (label -> record); label -> doc_id."""
    paths = []
    for label, rec in records.items():
        paths += stage_records(
            staging,
            [rec],
            file_sha256=sha(label),
            source_url=f"http://127.0.0.1:8000/{label}.pdf",
            file_name=f"{label}.pdf",
            jurisdiction_hint=None,
            fetched_at=FETCHED_AT,
        )
    load_staged(wh, paths)
    return {label: sha(label) for label in records}


HOSTILE_DEPARTMENT = "<script>window.__pwned=1</script>深圳市丁区教育局"
HOSTILE_JURISDICTION = '深圳市丁区"><img src=x onerror="window.__pwned=2">'
HOSTILE_REASON = "</script><script>window.__pwned=3</script> 表1 ≠ 表7"
HOSTILE_WARNING = "<script>window.__pwned=5</script>机关运行经费 per staff 1,000,000 above the band"


def build_hostile_world(root: Path) -> tuple[Path, dict[str, str]]:
    """A warehouse whose document-derived strings try to inject markup and script, and one
    source URL that is a javascript: link. Returns (warehouse, label -> doc_id)."""
    from tests.warehouse.records import sha
    from warehouse.db import connect

    wh = root / "wh.duckdb"
    staging = root / "staging"
    staging.mkdir(parents=True)
    records = {
        f"h{i}": hand_record(
            f"h{i}",
            jurisdiction=HOSTILE_JURISDICTION,
            department=HOSTILE_DEPARTMENT if i == 0 else f"深圳市丁区第{i}局",
            fiscal_year=2022,
            admin_actual=10 + i,
            agency_running_cost=f"{(i + 1) * 100000}.00",
        )
        for i in range(4)
    }
    records["bad"] = hand_record(
        "bad", jurisdiction=HOSTILE_JURISDICTION, department="<b>坏</b>局", fiscal_year=2022
    )
    paths = []
    for label, rec in records.items():
        paths += stage_records(
            staging,
            [rec],
            file_sha256=sha(label),
            source_url="javascript:window.__pwned=4"
            if label == "h1"
            else f"http://127.0.0.1:8000/{label}.pdf",
            file_name=f"<i>{label}</i>.pdf",
            jurisdiction_hint=None,
            fetched_at=FETCHED_AT,
        )
    load_staged(wh, paths)
    con = connect(wh)
    try:
        set_statuses(
            con,
            [
                StatusUpdate(sha("bad"), "quarantined", HOSTILE_REASON),
                StatusUpdate(sha("h2"), "published", None, ["per_staff_cost_band"]),
            ],
        )
        con.execute(
            "insert into quality_results (doc_id, expectation, suite, severity, item, message, checked_at) "
            "values (?, 'per_staff_cost_band', 'plausibility', 'warning', null, ?, now())",
            [sha("h2"), HOSTILE_WARNING],
        )
        from warehouse.models import build_models

        build_models(con)
    finally:
        con.close()
    return wh, {label: sha(label) for label in records}
