"""The DuckDB warehouse (docs/warehouse.md): schema and statements as .sql files beside the Python.

- `db`: targets (a file or a DuckLake catalog), connections, lock-conflict retries
- `schema`: the tables (warehouse/schema/*.sql), created idempotently
- `staging` → `rows` → `loader`: envelopes written by the pipeline, turned into rows, loaded by the one writer
- `cells`: which table cells are amounts, in yuan by their table's unit
- `departments`: canonical department names and types (department_types.csv, department_aliases.csv)
- `lock`: the run lock; `runs`: the runs table; `readonly`, `formats`, `status`: `budgetlens sql` / `status`
"""
