"""Benchmarks (`make bench`): each measured against its baseline in the same run."""
