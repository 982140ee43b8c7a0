"""published_totals: totals with every withheld figure null and every other figure as it is."""

from __future__ import annotations

from decimal import Decimal

import duckdb

from budgetlens.fields import TOTALS_FIELDS
from warehouse.schema import create_schema, table_columns


def test_each_total_withheld_alone_is_null_and_the_others_pass():
    con = duckdb.connect()
    create_schema(con)
    figures = {f: Decimal(i + 1) for i, f in enumerate(TOTALS_FIELDS)}
    docs = {f"d-{f}": f for f in TOTALS_FIELDS} | {"d-none": None}
    for doc_id, held in docs.items():
        con.execute(
            f"insert into totals (doc_id, {', '.join(TOTALS_FIELDS)}) "  # noqa: S608 (constant names)
            f"values (?{', ?' * len(TOTALS_FIELDS)})",
            [doc_id, *figures.values()],
        )
        if held is not None:
            con.execute(
                "insert into quality_results values (?, 'printings_agree_across_tables', 'crosscheck', "
                "'withheld', ?, 'two printings differ', now())",
                [doc_id, f"totals.{held}@prose#1"],
            )
    assert table_columns(con, "published_totals") == table_columns(con, "totals")
    rows = con.execute("select * from published_totals order by doc_id").fetchall()
    assert len(rows) == len(docs)
    for doc_id, *values in rows:
        held = docs[doc_id]
        assert dict(zip(TOTALS_FIELDS, values, strict=True)) == figures | (
            {} if held is None else {held: None}
        ), doc_id
    con.close()
