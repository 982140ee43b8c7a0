"""The executor is configuration: in-process, multiprocess, or a cluster (Kubernetes, Celery).

`BUDGETLENS_EXECUTOR` (or `budgetlens run --executor`) picks one by name. The cluster executors
come from the `cluster` extra (dagster-k8s, dagster-celery); see docs/scaling.md for how the
stages spread over machines.
"""

from __future__ import annotations

import dagster as dg

EXECUTORS: tuple[str, ...] = ("in_process", "multiprocess", "k8s", "celery")
DEFAULT_EXECUTOR = "multiprocess"  # what `dg dev` uses; `budgetlens run` defaults to in_process


class ExecutorUnavailable(ValueError):
    """The executor named cannot be used here (unknown name, or its package is not installed)."""


def executor_by_name(name: str) -> dg.ExecutorDefinition:
    """The executor definition for `name` (one of EXECUTORS)."""
    if name == "in_process":
        return dg.in_process_executor
    if name == "multiprocess":
        return dg.multiprocess_executor
    if name == "k8s":
        try:
            from dagster_k8s import k8s_job_executor
        except ImportError as exc:
            raise ExecutorUnavailable(
                "the k8s executor needs dagster-k8s: pip install -e '.[cluster]'"
            ) from exc
        return k8s_job_executor
    if name == "celery":
        try:
            from dagster_celery import celery_executor
        except ImportError as exc:
            raise ExecutorUnavailable(
                "the celery executor needs dagster-celery: pip install -e '.[cluster]'"
            ) from exc
        return celery_executor
    raise ExecutorUnavailable(f"unknown executor {name!r}: one of {', '.join(EXECUTORS)}")
