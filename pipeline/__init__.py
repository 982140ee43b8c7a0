"""Dagster definitions, resources, jobs, schedules, sensors and the `budgetlens` command line."""
