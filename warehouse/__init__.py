"""The DuckDB warehouse: schema and models as .sql files beside the Python that runs them."""
