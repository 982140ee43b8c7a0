"""The same warehouse on a DuckLake catalog (PostgreSQL on 127.0.0.1 + Parquet files in tmp_path)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.warehouse.helpers import finish_run, start_run
from warehouse.db import DuckLakeTarget, connect, extension_dir, lock_path_for, parse_target
from warehouse.loader import load_fetch_log, load_staged, set_statuses
from warehouse.lock import WarehouseBusy, run_lock
from warehouse.runs import last_run
from warehouse.schema import DOC_TABLES, TABLES, VIEWS
from warehouse.staging import stage_records

from .records import error_record, luohu_record, sha

T0 = "2026-01-05T02:00:00+00:00"
T1 = "2026-02-05T02:00:00+00:00"


def test_extensions_come_from_the_wheels():
    d = extension_dir()
    assert (d / "ducklake.duckdb_extension").is_file()
    assert (d / "postgres_scanner.duckdb_extension").is_file()


@pytest.mark.parametrize(
    ("spec", "catalog", "data"),
    [
        (
            "ducklake:postgres:dbname=lake host=127.0.0.1 port=5432 data_path=/srv/lake",
            "postgres:dbname=lake host=127.0.0.1 port=5432",
            "/srv/lake",
        ),
        ("ducklake:meta.ducklake data_path=lake-data", "meta.ducklake", "lake-data"),
        (
            "ducklake:postgres:dbname=lake host=127.0.0.1|/srv/lake",
            "postgres:dbname=lake host=127.0.0.1",
            "/srv/lake",
        ),
    ],
)
def test_parse_ducklake_spec(spec, catalog, data):
    t = parse_target(spec)
    assert isinstance(t, DuckLakeTarget) and t.catalog == catalog and str(t.data_path) == data
    assert parse_target(str(t)) == t
    assert lock_path_for(t).parent == t.data_path.parent  # beside the data folder, never inside it


def test_ducklake_spec_round_trip():
    from warehouse.db import ducklake_spec

    spec = ducklake_spec("postgres:dbname=lake host=127.0.0.1", "/srv/lake")
    assert spec == "ducklake:postgres:dbname=lake host=127.0.0.1 data_path=/srv/lake"
    assert parse_target(spec) == DuckLakeTarget("postgres:dbname=lake host=127.0.0.1", Path("/srv/lake"))


@pytest.mark.parametrize(
    "spec",
    [
        "ducklake:postgres:dbname=x",
        "ducklake:data_path=/x",
        "ducklake:a data_path=/x data_path=/y",
        "ducklake:|/x",
        "ducklake:a|",
    ],
)
def test_bad_ducklake_spec(spec):
    from warehouse.db import WarehouseError

    with pytest.raises(WarehouseError, match="DuckLake target needs"):
        parse_target(spec)


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in DOC_TABLES}  # noqa: S608


def test_load_query_reload_supersede_on_ducklake(ducklake_target, staging):
    url = "http://127.0.0.1/luohu/a.pdf"
    paths = stage_records(
        staging / "1",
        [luohu_record(sha("v1"))],
        source_url=url,
        jurisdiction_hint="深圳市罗湖区",
        fetched_at=T0,
    )
    paths += stage_records(
        staging / "1", [error_record(sha("bad"))], source_url="http://127.0.0.1/b.pdf", fetched_at=T0
    )
    report = load_staged(ducklake_target, paths)
    assert report.published == 1 and [q[0] for q in report.quarantined] == [sha("bad")]

    con = connect(ducklake_target)
    # the default database is the DuckLake catalog
    row = con.execute("select type from duckdb_databases() where database_name = current_database()")
    assert row.fetchone() == ("ducklake",)
    tables = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'wh'"
        ).fetchall()
    }
    assert set(TABLES + VIEWS) <= tables
    first = counts(con)
    con.close()

    load_staged(ducklake_target, paths)  # reload: no duplicates
    con = connect(ducklake_target, read_only=True)
    assert counts(con) == first
    assert con.execute(
        "select expense_total, carryover_in from totals where doc_id = ?", [sha("v1")]
    ).fetchone() == (Decimal("25790000.00"), None)
    assert con.execute(
        "select amount from table_cells where doc_id = ? and row_index = 1 and col_index = 3 and table_index = 0",
        [sha("v1")],
    ).fetchone() == (Decimal("25790000.00"),)
    con.close()

    corrected = luohu_record(sha("v2"))
    corrected["totals"]["expense_total"] = "25800000.00"
    report = load_staged(
        ducklake_target, stage_records(staging / "2", [corrected], source_url=url, fetched_at=T1)
    )
    assert report.superseded == [sha("v1")]
    con = connect(ducklake_target)
    assert con.execute("select doc_id from current_documents where status = 'published'").fetchall() == [
        (sha("v2"),)
    ]
    set_statuses(con, [(sha("v2"), "quarantined", "表1 ≠ 表7")])
    assert con.execute("select status_reason from documents where doc_id = ?", [sha("v2")]).fetchone() == (
        "表1 ≠ 表7",
    )
    rows = [{"url": url, "fetched_at": T0, "outcome": "downloaded", "status": 200}]
    load_fetch_log(con, rows)
    load_fetch_log(con, rows)
    assert con.execute("select count(*) from fetch_log").fetchone() == (1,)
    run = start_run(con)
    finish_run(con, run, "succeeded", {"published": 1})
    assert last_run(con)["summary"] == {"published": 1}
    con.close()


def test_sql_command_on_ducklake(ducklake_target, staging, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    load_staged(
        ducklake_target,
        stage_records(staging, [luohu_record()], source_url="http://127.0.0.1/a.pdf", fetched_at=T0),
    )
    assert (
        main(
            [
                "sql",
                "select department, expense_total from current_documents join totals using (doc_id)",
                "--format",
                "json",
                "--warehouse",
                ducklake_target,
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == [
        {"department": "深圳市罗湖区科技创新局", "expense_total": "25790000.00"}
    ]
    assert main(["sql", "delete from documents", "--warehouse", ducklake_target]) == 2
    assert "read-only" in capsys.readouterr().err
    assert main(["status", "--warehouse", ducklake_target]) == 0
    assert "published" in capsys.readouterr().out


def test_run_lock_on_ducklake(ducklake_target):
    with run_lock(ducklake_target, timeout_s=1):
        with pytest.raises(WarehouseBusy):
            # flock is per open file description: a second open in the same process conflicts too
            with run_lock(ducklake_target, timeout_s=0.1):
                pass
