"""The executor is configuration: the same pipeline under the multiprocess executor."""

from __future__ import annotations

from decimal import Decimal

import dagster as dg
import pytest

from pipeline.executors import EXECUTORS, ExecutorUnavailable, executor_by_name
from pipeline.runner import RunOptions, run_pipeline
from tests.pipeline.sites import sites_config
from warehouse import db

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]


@pytest.mark.parametrize("name", EXECUTORS)
def test_every_named_executor_resolves(name):
    assert isinstance(executor_by_name(name), dg.ExecutorDefinition)


def test_unknown_executor_is_refused_by_name():
    with pytest.raises(ExecutorUnavailable, match="unknown executor 'spark'"):
        executor_by_name("spark")


def test_pipeline_under_the_multiprocess_executor(tmp_path):
    cfg = sites_config(tmp_path, ["luohu"])
    opts = RunOptions(
        sources=str(cfg),
        warehouse=str(tmp_path / "wh.duckdb"),
        out_dir=str(tmp_path / "pub"),
        data_dir=str(tmp_path / "data"),
        executor="multiprocess",
        workers=2,
    )
    summary = run_pipeline(opts)
    assert summary.success, summary.error
    assert summary.found > 0 and summary.downloaded == summary.found
    assert summary.parsed == summary.found
    con = db.connect(opts.warehouse, read_only=True)
    try:
        (expense,) = con.execute(
            "select t.expense_total from documents d join totals t using (doc_id) where d.file_name = ?",
            ["2022年深圳市罗湖区科技创新局部门预算.pdf"],
        ).fetchone()
        (runs,) = con.execute("select count(*) from runs where status = 'succeeded'").fetchone()
    finally:
        con.close()
    assert expense == Decimal("25790000.00")
    assert runs == 1
