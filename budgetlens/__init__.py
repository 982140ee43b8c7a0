"""budgetlens core library: corpus renderer, parser, scraper and shared helpers.

Nothing in this package imports Dagster or Great Expectations.
"""

__version__ = "0.1.0"
