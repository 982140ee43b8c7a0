"""The sources config: loading, {simulated} expansion, the site template, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetlens.scrape import RawStore, SourcesConfigError, fetch_jurisdiction, load_sources
from budgetlens.scrape.config import DEFAULT_HREF_PATTERN
from budgetlens.scrape.settings import DEFAULT_MAX_BYTES

from .conftest import WEB_SOURCE, write_config


def test_defaults_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        '[defaults]\nread_timeout = 4.0\n[sources.gov]\nlisting = "https://www.gov.example/ys/index.html"\n'
        'read_timeout = 9.0\n[sources.drop]\ndrop_dir = "incoming"\n',
        encoding="utf-8",
    )
    cfg = load_sources(path)
    gov, drop = cfg.source("gov"), cfg.source("drop")
    assert cfg.jurisdictions == ["gov", "drop"] and not cfg.needs_simulated
    assert gov.kind == "web" and gov.allowed_hosts == ("www.gov.example",)
    assert gov.settings.read_timeout == 9.0 and drop.settings.read_timeout == 4.0
    assert gov.settings.max_bytes == DEFAULT_MAX_BYTES == 100 * 1024 * 1024 and gov.settings.obey_robots
    assert gov.settings.allow_private is False and gov.links.href_pattern == DEFAULT_HREF_PATTERN
    assert drop.kind == "drop" and drop.drop_dir == (tmp_path / "incoming").resolve()
    with pytest.raises(KeyError, match="no source 'nope'.*known: gov, drop"):
        cfg.source("nope")


def test_simulated_expansion(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    path = write_config(tmp_path / "s.toml", {"luohu": dict(WEB_SOURCE)}, simulated_dir=sites)
    cfg = load_sources(path)
    assert cfg.needs_simulated and cfg.simulated and cfg.simulated.dir == sites.resolve()
    with pytest.raises(ValueError, match="serve the simulated sites"):
        fetch_jurisdiction(cfg, "luohu", RawStore(tmp_path / "raw"))
    expanded = cfg.with_simulated_base("http://127.0.0.1:5678/")
    src = expanded.source("luohu")
    assert src.listing == "http://127.0.0.1:5678/luohu/index.html" and src.allowed_hosts == (
        "127.0.0.1:5678",
    )
    assert load_sources(path, simulated_base_url="http://127.0.0.1:5678") == expanded


def test_site_template_makes_one_source_per_site_directory(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    for d in ("luohu", "futian", ".git", "bad name"):
        (sites / d).mkdir(parents=True)
    (tmp_path / "t.toml").write_text(
        '[defaults]\nallow_private = true\n[simulated]\ndir = "sites"\n[simulated.site_template]\n'
        'listing = "{simulated}/{site}/index.html"\npagination = { pattern = "index_{n}.html" }\n'
        '[sources.luohu]\nlisting = "{simulated}/luohu/list.html"\n',
        encoding="utf-8",
    )
    cfg = load_sources(tmp_path / "t.toml", simulated_base_url="http://127.0.0.1:9")
    assert cfg.jurisdictions == ["luohu", "futian"]
    assert cfg.source("futian").listing == "http://127.0.0.1:9/futian/index.html"
    assert cfg.source("luohu").listing == "http://127.0.0.1:9/luohu/list.html"  # explicit source wins


def test_a_directory_of_configs(tmp_path: Path) -> None:
    write_config(tmp_path / "a.toml", {"a": {"listing": "http://a.example/"}})
    write_config(tmp_path / "b.toml", {"b": {"listing": "http://b.example/"}})
    assert load_sources(tmp_path).jurisdictions == ["a", "b"]
    write_config(tmp_path / "c.toml", {"a": {"listing": "http://c.example/"}})
    with pytest.raises(SourcesConfigError, match="source 'a' is defined twice"):
        load_sources(tmp_path)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[sources.a]\nlisting = 'http://a.example/'\nlistng = 1\n", "unknown key.*listng"),
        ("[sources.a]\nlisting = 'http://a.example/'\ndrop_dir = 'x'\n", "exactly one of listing"),
        ("[sources.a]\nname = 'x'\n", "exactly one of listing"),
        ("[sources.a]\nlisting = 'ftp://a.example/'\n", "http\\(s\\) URL"),
        ("[sources.a]\nlisting = 'http://a.example/'\nmax_per_host = 3\n", "max_per_host must be 1..2"),
        ("[sources.a]\nlisting = 'http://a.example/'\nlinks = { href_pattern = '(' }\n", "not a regex"),
        ("[sources.a]\nlisting = 'http://a.example/'\nlinks = { selector = 'a[[' }\n", "not a CSS selector"),
        ("[sources.a]\nlisting = 'http://a.example/'\npagination = { pattern = 'index.html' }\n", "\\{n\\}"),
        ("[sources.a]\nlisting = 'http://a.example/'\nallowed_hosts = ['http://x']\n", "allowed_hosts"),
        ("[sources.'../x']\nlisting = 'http://a.example/'\n", "source id"),
        ("[simulated]\ndir = 's'\n[sources.a]\nlisting = '{simulated}/a/'\n", "allow_private = true"),
        ("[sources.a]\nallow_private = true\nlisting = '{simulated}/a/'\n", "no \\[simulated\\] section"),
        (
            "[simulated]\ndir = 's'\nhost = '0.0.0.0'\n[sources.a]\nlisting = 'http://a.example/'\n",
            "loopback",
        ),
        (
            "[defaults]\ndeadline = 'long'\n[sources.a]\nlisting = 'http://a.example/'\n",
            "deadline must be a float",
        ),
        ("[sources]\n", "no \\[sources"),
        ("[sources.a\n", "not valid TOML"),
        ("[sourcez.a]\n", "unknown key"),
    ],
)
def test_config_errors_are_clear(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(SourcesConfigError, match=message) as info:
        load_sources(path)
    assert str(path) in str(info.value) or "simulated" in str(info.value)


def test_missing_config(tmp_path: Path) -> None:
    with pytest.raises(SourcesConfigError, match="no such sources config"):
        load_sources(tmp_path / "nope.toml")
    with pytest.raises(SourcesConfigError, match="no \\*.toml"):
        load_sources(tmp_path)


def test_a_folder_of_pdfs_is_one_drop_folder_source_named_after_it(tmp_path: Path) -> None:
    folder = tmp_path / "bureau-pdfs"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"%PDF-1.4\n")
    cfg = load_sources(folder)
    assert cfg.jurisdictions == ["bureau-pdfs"]
    src = cfg.source("bureau-pdfs")
    assert src.kind == "drop" and src.drop_dir == folder.resolve() and src.name == "bureau-pdfs"
    han = tmp_path / "预算文件"
    han.mkdir()
    (han / "b.PDF").write_bytes(b"%PDF-1.4\n")
    (sid,) = load_sources(han).jurisdictions
    assert sid.startswith("drop-") and load_sources(han).source(sid).name == "预算文件"


def test_a_folder_without_configs_or_pdfs_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourcesConfigError, match="no \\*.toml sources config and no .pdf file"):
        load_sources(tmp_path)
