"""One module per `budgetlens` subcommand (see pipeline/cli.py for the contract)."""
