"""The development package: tools for the tests, the benchmarks and the bundled sample, never
imported by the product (`budgetlens`, `pipeline`, `assets`, `expectations`, `warehouse`; an
import-linter contract in pyproject.toml checks it).

It comes with a checkout's dev install (`pip install -e '.[dev]'`): the product wheel does not
contain it. What is here:

- the corpus renderer (`plan`, `render`, `build`, …; docs/corpus.md): synthetic budget PDFs with
  their truth records, the sample (`sample/`) and the benchmark corpora;
- `accuracy`: how right a parse is against a truth file or a golden file (tests, benchmarks);
- `postgres`: a throw-away PostgreSQL server for DuckLake catalogs (tests, benchmarks);
- `faultserver`: the simulated sites with deliberate faults (scraper and reliability tests);
- `parsefaults`: parses that hang, balloon or crash (worker-pool and reliability tests).

The one product module that reaches in is `budgetlens corpus render|one`, through one late import
(pipeline/commands/corpus.py). docs/architecture.md has the whole picture.
"""
