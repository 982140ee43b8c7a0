"""The code location loads, validates, and its schedule and sensors do what they say."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from assets.partitions import JURISDICTIONS
from assets.resources import SourcesResource
from pipeline.definitions import defs
from pipeline.schedules import daily_refresh
from pipeline.sensors import drop_folder_sensor, sources_sensor

REPO = Path(__file__).resolve().parents[2]


def test_dg_check_defs_passes_without_warnings():
    """`dg check defs` (make validate) finds the code location through [tool.dg] in pyproject.toml
    and loads it, with no warning: neither that a command is superseded or deprecated (as
    `dagster definitions validate` now says) nor that the project's .venv is not the active one."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "VIRTUAL_ENV": sys.prefix}  # as make validate runs it
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("dg")), "check", "defs"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "All definitions loaded successfully" in out, out
    for word in ("superseded", "deprecat", "warning"):
        assert word not in out.lower(), out


def test_asset_groups_and_descriptions():
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups["raw_documents"] == "ingest"
    assert groups["parsed_documents"] == "parse"
    assert groups["warehouse_tables"] == "warehouse"
    for key in graph.get_all_asset_keys():
        assert graph.get(key).description, f"{key} has no description"


def test_daily_schedule_runs_in_china_time_over_all_jurisdictions():
    assert daily_refresh.execution_timezone == "Asia/Shanghai"
    # Evaluation contexts are closed with `with`: they hold the instance open until then.
    with dg.instance_for_test() as instance:
        with dg.build_schedule_context(instance=instance) as ctx:
            assert isinstance(daily_refresh(ctx), dg.SkipReason)  # nothing registered yet
        instance.add_dynamic_partitions(JURISDICTIONS, ["luohu", "futian", "nanshan"])
        with dg.build_schedule_context(instance=instance) as ctx:
            req = daily_refresh(ctx)
        assert isinstance(req, dg.RunRequest)
        assert req.tags["dagster/asset_partition_range_start"] == "futian"
        assert req.tags["dagster/asset_partition_range_end"] == "nanshan"


def _drop_config(tmp_path: Path) -> tuple[Path, Path]:
    drop = tmp_path / "drop"
    drop.mkdir()
    cfg = tmp_path / "sources.toml"
    cfg.write_text(f'[sources.mydrop]\ndrop_dir = "{drop}"\n', encoding="utf-8")
    return cfg, drop


def test_sources_sensor_registers_partitions(tmp_path):
    cfg, _ = _drop_config(tmp_path)
    with dg.instance_for_test() as instance:
        with dg.build_sensor_context(
            instance=instance, resources={"sources": SourcesResource(path=str(cfg))}
        ) as ctx:
            result = sources_sensor(ctx)
        assert isinstance(result, dg.SensorResult)
        (request,) = result.dynamic_partitions_requests
        assert list(request.partition_keys) == ["mydrop"]


def test_drop_folder_sensor_fires_on_new_files_only(tmp_path):
    cfg, drop = _drop_config(tmp_path)
    resources = {"sources": SourcesResource(path=str(cfg))}

    def evaluate(cursor=None):
        with dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources) as ctx:
            return drop_folder_sensor(ctx)

    with dg.instance_for_test() as instance:
        first = evaluate()
        assert isinstance(first, dg.SensorResult)  # an empty folder is a state too: first sighting
        cursor = first.cursor
        same = evaluate(cursor)
        assert isinstance(same, dg.SkipReason)
        (drop / "新文件.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
        fired = evaluate(cursor)
        assert isinstance(fired, dg.SensorResult)
        (run,) = fired.run_requests
        assert run.tags["dagster/asset_partition_range_start"] == "mydrop"
        assert json.loads(fired.cursor)["mydrop"] != json.loads(cursor)["mydrop"]


@pytest.mark.parametrize("key", ["storage", "warehouse", "sources", "parser", "publish"])
def test_resources_defined_once(key):
    """`dg dev`'s definitions and the command line's runs use the same resource for each key (one
    class each, configured from the environment or from the run's options)."""
    from pipeline.runner import RunOptions, build_resources

    assert key in defs.resources
    assert type(defs.resources[key]) is type(build_resources(RunOptions())[key])
