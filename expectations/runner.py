"""Run the suites with GX Core 1.x in an ephemeral context, and write GX Data Docs.

Suites are built in code on every run (never stored as JSON): one GX suite per frame, one pandas
dataframe asset per frame, one validation definition each. Results come back with the
`doc_id`/`item` of every failing row (`result_format` COMPLETE), which become `Finding`s whose
severity follows the spec (error, warning, or the row's materiality flag).

Great Expectations is imported here and only here, lazily: importing it takes seconds.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from expectations.spec import INDEX_COLUMNS, ExpectationSpec, Finding

DATASOURCE = "budgetlens_warehouse"
DOCS_SITE = "budgetlens"
RESULT_FORMAT: dict[str, Any] = {"result_format": "COMPLETE", "unexpected_index_column_names": INDEX_COLUMNS}


class QualityRunError(RuntimeError):
    """GX could not evaluate an expectation (a bug or a malformed frame): never read as a pass."""


@dataclass
class FrameOutcome:
    """What one frame's validation gave."""

    frame: str
    rows: int
    findings: list[Finding] = field(default_factory=list)
    failed_expectations: list[str] = field(default_factory=list)


class GxRunner:
    """One ephemeral GX context for a quality run; validate frames, then build Data Docs."""

    def __init__(self, docs_dir: Path | None = None):
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self._gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.docs_dir = docs_dir
        if docs_dir is not None:
            self.context.add_data_docs_site(
                DOCS_SITE,
                {
                    "class_name": "SiteBuilder",
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(Path(docs_dir).resolve()),
                    },
                },
            )
        self.datasource = self.context.data_sources.add_pandas(DATASOURCE)

    def validate(self, frame: str, df: pd.DataFrame, specs: Iterable[ExpectationSpec]) -> FrameOutcome:
        """Validate one frame against its specs; failing rows become findings."""
        gx = self._gx
        specs = list(specs)
        outcome = FrameOutcome(frame, len(df))
        if not specs:
            return outcome
        asset = self.datasource.add_dataframe_asset(frame)
        batch = asset.add_batch_definition_whole_dataframe("all_rows")
        suite = self.context.suites.add(
            gx.ExpectationSuite(
                name=frame,
                expectations=[s.gx_expectation() for s in specs],
                meta={
                    "suite": specs[0].suite,
                    "notes": f"budgetlens quality suite {specs[0].suite}: frame {frame}",
                },
            )
        )
        vd = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=frame, data=batch, suite=suite)
        )
        result = vd.run(batch_parameters={"dataframe": df}, result_format=RESULT_FORMAT)
        by_name = {s.name: s for s in specs}
        indexed = df.set_index(INDEX_COLUMNS, drop=False) if len(df) else df
        problems = []
        for r in result.results:
            spec = by_name[r.expectation_config.meta["name"]]
            info = r.exception_info or {}
            if info.get("raised_exception"):
                problems.append(f"{frame}/{spec.name}: {info.get('exception_message')}")
                continue
            if r.success:
                continue
            outcome.failed_expectations.append(spec.name)
            for idx in r.result.get("unexpected_index_list") or []:
                outcome.findings.append(_finding(spec, indexed, idx["doc_id"], idx["item"]))
        if problems:
            raise QualityRunError("GX could not evaluate: " + "; ".join(problems))
        return outcome

    def build_docs(self) -> Path | None:
        """Write the Data Docs site (index.html) of everything validated; its path."""
        if self.docs_dir is None:
            return None
        self.context.build_data_docs(site_names=[DOCS_SITE])
        return Path(self.docs_dir) / "index.html"


def _finding(spec: ExpectationSpec, indexed: pd.DataFrame, doc_id: str, item: str) -> Finding:
    row = indexed.loc[(doc_id, item)]
    if isinstance(row, pd.DataFrame):  # never expected: (doc_id, item) is unique per frame
        row = row.iloc[0]
    message = row.get(spec.message_column)
    if spec.severity == "materiality":
        flag = row.get(spec.material_column)
        severity = "warning" if (flag is not None and flag is not pd.NA and not bool(flag)) else "error"
    else:
        severity = spec.severity
    text = str(message) if isinstance(message, str) and message else f"{spec.name}: {item}"
    fields = row.get(spec.col("fields"))
    named = tuple(fields.split(",")) if isinstance(fields, str) and fields else ()
    return Finding(doc_id, spec.name, spec.suite, severity, item, text, named)


def publish_docs(built: Path, target: Path) -> Path:
    """Replace `target` (the Data Docs folder in the output) with the freshly built site."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        target.rename(old / target.name)
    shutil.move(str(built), str(target))
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target / "index.html"
