"""The schema: one file per table, idempotent creation, glossary column names, DuckLake-safe DDL."""

from __future__ import annotations

import re

import duckdb
import pytest

from budgetlens.fields import HEADCOUNT_FIELDS, TOTALS_FIELDS
from warehouse.db import connect
from warehouse.schema import SCHEMA_DIR, TABLES, VIEWS, create_schema, schema_sql, table_columns


def test_every_schema_file_is_a_known_table_or_view():
    assert sorted(p.stem for p in SCHEMA_DIR.glob("*.sql")) == sorted(TABLES + VIEWS)


@pytest.mark.parametrize("name", TABLES + VIEWS)
def test_ddl_is_ducklake_safe(name):
    ddl = re.sub(r"--.*", "", schema_sql(name)).lower()
    for banned in ("primary key", "unique", "create index", "sequence", "nextval", "default", "check ("):
        assert banned not in ddl, f"{name}.sql uses {banned!r}, which DuckLake rejects"
    assert ddl == re.sub(r"--.*", "", schema_sql(name)), "schema SQL is lower case"
    assert "if not exists" in ddl or "create or replace view" in ddl


def test_create_schema_is_idempotent(wh_path):
    con = connect(wh_path)
    create_schema(con)
    con.execute("insert into runs (run_id, started_at, status) values ('r1', now(), 'running')")
    create_schema(con)  # again, with data in it
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    assert set(TABLES + VIEWS) <= tables
    assert con.execute("select count(*) from runs").fetchone()[0] == 1
    con.close()
    con = connect(wh_path)  # a writer reopening creates nothing twice
    assert con.execute("select count(*) from runs").fetchone()[0] == 1
    con.close()


def test_glossary_columns(wh_path):
    con = connect(wh_path)
    assert table_columns(con, "headcount") == ["doc_id", *HEADCOUNT_FIELDS]
    assert table_columns(con, "totals") == ["doc_id", *TOTALS_FIELDS]
    types = dict(
        con.execute(
            "select column_name, data_type from information_schema.columns where table_name = 'totals'"
        ).fetchall()
    )
    assert {types[f] for f in TOTALS_FIELDS} == {"DECIMAL(18,2)"}
    con.close()


def test_no_constraints_in_catalog(wh_path):
    con = connect(wh_path)
    kinds = {r[0] for r in con.execute("select constraint_type from duckdb_constraints()").fetchall()}
    assert kinds <= {"NOT NULL"}
    assert con.execute("select count(*) from duckdb_indexes()").fetchone()[0] == 0
    assert con.execute("select count(*) from duckdb_sequences()").fetchone()[0] == 0
    con.close()


def test_lower_case_sql_files():
    from warehouse.schema import SQL_DIR

    for path in SQL_DIR.glob("*.sql"):
        text = re.sub(r"--.*", "", path.read_text(encoding="utf-8"))
        assert text == text.lower(), f"{path.name} is not lower case"


def test_read_only_open_of_missing_warehouse_is_a_clear_error(tmp_path):
    from warehouse.db import WarehouseError

    with pytest.raises(WarehouseError, match="no warehouse at"):
        connect(tmp_path / "absent.duckdb", read_only=True)
    assert not (tmp_path / "absent.duckdb").exists()


def test_extensions_never_autoinstall(wh_path):
    con = connect(wh_path)
    assert con.execute("select current_setting('autoinstall_known_extensions')").fetchone()[0] is False
    with pytest.raises(duckdb.Error):
        con.execute("install spatial")  # no network here, and no silent download anywhere
    con.close()


def test_older_warehouse_gets_new_columns(wh_path):
    old = duckdb.connect(str(wh_path.parent.mkdir(parents=True) or wh_path))
    old.execute(
        "create table fetch_log (url varchar not null, fetched_at timestamptz not null, outcome varchar not null)"
    )
    old.execute("insert into fetch_log values ('http://127.0.0.1/a.pdf', now(), 'downloaded')")
    old.close()
    con = connect(wh_path)
    assert table_columns(con, "fetch_log")[:3] == ["url", "fetched_at", "outcome"]
    assert "file_name" in table_columns(con, "fetch_log") and "final_url" in table_columns(con, "fetch_log")
    assert con.execute("select url, kind from fetch_log").fetchall() == [("http://127.0.0.1/a.pdf", None)]
    assert create_schema(con) == []  # nothing left to add
    con.close()
