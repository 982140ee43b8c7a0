"""Documents in the warehouse by status, the reasons for quarantined and failed ones (counted by
reason, then each document with its first reason; --verbose: every reason in full), the last run,
and the latest fetch errors. Read-only: works between a run's loads.

Fits the terminal's width (80 columns when the output is not a terminal; $COLUMNS wins).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipeline.commands.reading import CommandExit, add_warehouse_arguments, open_read_only

EXIT_OK = 0
EXIT_ERROR = 1
DEFAULT_SOURCES = "sources/sample.toml"  # as `budgetlens run` (assets.resources, not imported: Dagster)
MIN_WIDTH = 40
KEY_WIDTH = 14  # "Fetch errors" and its kin, then the value
ELLIPSIS = "…"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_warehouse_arguments(parser)
    parser.add_argument(
        "--limit", type=int, default=50, metavar="N", help="problem documents to list (default 50)"
    )
    parser.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="every reason, fetch error and run detail in full, wrapped (default: the first reason, cut)",
    )
    parser.add_argument(
        "--sources",
        metavar="FILE|DIR",
        default=None,
        help="sources config whose `name`s are shown for source ids "
        "(default: $BUDGETLENS_SOURCES or sources/sample.toml, when it exists)",
    )


def handle(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.status import status_report

    try:
        con = open_read_only("status", args)
    except CommandExit as exc:
        return exc.code
    try:
        report = status_report(
            con, problem_limit=max(args.limit, 0), source_names=source_names(sources_path(args))
        )
    except duckdb.Error as exc:
        print(f"budgetlens status: cannot read the warehouse: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        con.close()
    lines = render_lines(report, width=terminal_width(), verbose=args.verbose, now=datetime.now(UTC))
    try:
        sys.stdout.write("".join(line + "\n" for line in lines))
        sys.stdout.flush()
    except BrokenPipeError:  # `budgetlens status | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_OK


# --- jurisdiction names from the sources config ----------------------------------------------------


def sources_path(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "sources", None) or os.environ.get("BUDGETLENS_SOURCES") or DEFAULT_SOURCES)


def source_names(path: Path) -> dict[str, str]:
    """Source id → its `name` in the sources config (docs/sources.md: "display only"); {} when the
    config is absent or unusable: status then names jurisdictions from the warehouse alone."""
    from budgetlens.scrape.config import load_sources

    if not path.exists():
        return {}
    try:
        config = load_sources(path)
    except Exception:  # noqa: BLE001 - names are cosmetic: a broken config never stops status
        return {}
    return {sid: s.name for sid, s in config.sources.items() if s.name}


# --- widths: CJK characters take two columns ---------------------------------------------------------


def terminal_width() -> int:
    """$COLUMNS, else the terminal's width, else 80 (not a terminal); at least MIN_WIDTH."""
    import shutil

    return max(shutil.get_terminal_size((80, 24)).columns, MIN_WIDTH)


def cells(text: str) -> int:
    """Display width: wide (W) and full-width (F) characters count two columns."""
    from rich.cells import cell_len

    return cell_len(text)


def one_line(text: str | None) -> str:
    """The text on one line: newlines, tabs and runs of spaces as one space."""
    return " ".join((text or "").split())


def cut(text: str, width: int) -> str:
    """The text in at most `width` columns, ending in … when cut."""
    from rich.cells import get_character_cell_size

    if cells(text) <= width:
        return text
    if width < 1:
        return ""
    out, used = [], 0
    for ch in text:
        size = get_character_cell_size(ch)
        if used + size > width - 1:
            break
        out.append(ch)
        used += size
    return "".join(out).rstrip() + ELLIPSIS


def pad(text: str, width: int) -> str:
    """The text cut or padded with spaces to exactly `width` columns."""
    text = cut(text, width)
    return text + " " * (width - cells(text))


_UNITS = re.compile(r"\s+|[!-~]+|.")  # spaces, an ASCII word, any other single character
NO_LINE_START = frozenset("，。、；：！？）」』】》〕…,.;:!?)]")  # closing punctuation
NO_LINE_END = frozenset("（「『【《〔([")  # opening punctuation


def wrap(text: str, width: int, first: str = "", rest: str | None = None) -> list[str]:
    """The text wrapped to `width` columns after the prefix `first` (then `rest`, default as many
    spaces): ASCII words break at spaces, CJK text between any two characters (never before a
    closing or after an opening bracket); nothing is cut."""
    rest = " " * cells(first) if rest is None else rest
    lines: list[str] = []
    prefix, units, space = first, [], False  # units: (gap, unit) on the current line

    def used() -> int:
        return cells(prefix) + sum(g + cells(u) for g, u in units)

    def next_line(carry: list[tuple[int, str]]) -> None:
        nonlocal prefix, units
        lines.append(prefix + "".join(" " * g + u for g, u in units))
        prefix, units = rest, [(0, carry[0][1]), *carry[1:]] if carry else []

    for unit in _UNITS.findall(one_line(text)):
        if unit.isspace():
            space = True
            continue
        gap, space, size = (1 if space and units else 0), False, cells(unit)
        if units and used() + gap + size > width:
            carry: list[tuple[int, str]] = []
            if unit in NO_LINE_START and len(units) > 1:
                carry.append(units.pop())
            while len(units) > 1 and units[-1][1] in NO_LINE_END:
                carry.insert(0, units.pop())
            next_line(carry)
            gap = 1 if gap and units else 0
        while unit and used() + gap + size > width:  # longer than a whole line: break it anywhere
            head = _take(unit, width - used() - gap)
            units.append((gap, head))
            unit, size, gap = unit[len(head) :], cells(unit[len(head) :]), 0
            next_line([])
        if unit:
            units.append((gap, unit))
    if units or not lines:
        next_line([])
    return lines


def wrap_items(items: list[str], width: int, first: str = "", sep: str = ", ") -> list[str]:
    """Items joined by `sep`, wrapped only between items (an item longer than a line is wrapped
    on its own) under the prefix `first`."""
    rest = " " * cells(first)
    lines: list[str] = []
    line = first
    for i, item in enumerate(items):
        piece = item + (sep.rstrip() if i < len(items) - 1 else "")
        joint = " " if line not in (first, rest) else ""
        if cells(line + joint + piece) <= width:
            line += joint + piece
            continue
        if line not in (first, rest):
            lines.append(line)
            line = rest
        if cells(line + piece) <= width:
            line += piece
        else:
            *done, line = wrap(piece, width, first=line)
            lines += done
    if line not in (first, rest) or not lines:
        lines.append(line)
    return lines


def _take(text: str, width: int) -> str:
    """The longest head of `text` within `width` columns (at least one character)."""
    from rich.cells import get_character_cell_size

    used = 0
    for i, ch in enumerate(text):
        used += get_character_cell_size(ch)
        if used > width:
            return text[: max(i, 1)]
    return text


# --- words for numbers, times and durations ----------------------------------------------------------


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """`1 document`, `2 documents`."""
    return f"{n:,} {singular if n == 1 else plural_form or singular + 's'}"


def local_time(value) -> str:
    """A timestamp as local `YYYY-MM-DD HH:MM:SS` (naive ones are UTC); text is parsed as ISO-8601."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return one_line(value)
    if not isinstance(value, datetime):
        return "unknown"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def duration(seconds: float) -> str:
    """`350 ms`, `4.9 s`, `45 s`, `2 min 5 s`, `1 h 3 min`."""
    if seconds < 0:
        seconds = 0.0
    if seconds < 1:
        return f"{round(seconds * 1000)} ms"
    if seconds < 10:
        return f"{seconds:.1f} s"
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    if total < 3600:
        return f"{total // 60} min {total % 60} s"
    return f"{total // 3600} h {total % 3600 // 60} min"


# --- sections ------------------------------------------------------------------------------------------


def keyed(key: str, value: str, width: int) -> list[str]:
    """`Key           value…` with the value wrapped under itself."""
    return wrap(value, width, first=pad(key, KEY_WIDTH))


def document_lines(counts: list[tuple[str, int, int]], flags: tuple[int, int, int], width: int) -> list[str]:
    """Documents by status (current ones: one per budget; the others are older files superseded or
    replaced by a newer one and text parts joined into their budget), what the published ones carry
    (withheld figures, warnings)."""
    if not counts:
        return ["Documents     none"]
    current = sum(c for _, c, _ in counts)
    superseded = sum(s for _, _, s in counts)
    by_status = ", ".join(f"{c:,} {status}" for status, c, _ in counts if c)
    text = f"{plural(current, 'current document')}: {by_status or 'none'}"
    if superseded:
        text += f"; {superseded:,} older or joined {'file' if superseded == 1 else 'files'}"
    out = keyed("Documents", text, width)
    withheld_figures, withheld_documents, warned_documents = flags
    if withheld_figures:
        out += keyed(
            "Withheld",
            f"{plural(withheld_figures, 'figure')} in {plural(withheld_documents, 'published document')} "
            "(the printings disagree; the budget is published without them)",
            width,
        )
    if warned_documents:
        out += keyed("Warnings", f"{plural(warned_documents, 'published document')} with warnings", width)
    return out


def check_lines(checks: Mapping[str, tuple[int, int]], width: int) -> list[str]:
    """Every check's outcome over the current documents: checked and right, failed, not checked."""
    if not checks:
        return []
    passed, failed, skipped = (checks.get(o, (0, 0)) for o in ("passed", "failed", "skipped"))
    text = (
        f"{passed[0]:,} passed, {failed[0]:,} failed (in {plural(failed[1], 'document')}), "
        f"{skipped[0]:,} skipped (nothing to check: the figures are absent)"
    )
    return keyed("Checks", text, width)


def reason_count_lines(reason_counts: list[tuple[str, int]], width: int) -> list[str]:
    """The reasons of the quarantined and failed documents, most frequent first."""
    if not reason_counts:
        return []
    digits = max(len(f"{n:,}") for _, n in reason_counts)
    out = ["By reason (quarantined and failed documents)"]
    for reason, n in reason_counts:
        prefix = f"  {n:>{digits},}  "
        out.append(prefix + cut(one_line(reason), width - cells(prefix)))
    return out


_YEAR_PREFIX = re.compile(r"^((?:19|20)\d\d)年")
_BUDGET_SUFFIX = re.compile(r"部门预算(?=（[^（）]*）$|$)")
MIN_REASON_WIDTH = 30


def file_label(file_name: str | None) -> tuple[int | None, str]:
    """(year, name) of a budget file name: `2023年深圳市龙岗区城管局部门预算.pdf` → (2023,
    `深圳市龙岗区城管局`), without `.pdf` and `部门预算` (every file here is one)."""
    name = one_line(file_name)
    name = name[:-4] if name.lower().endswith(".pdf") else name
    m = _YEAR_PREFIX.match(name)
    year = int(m.group(1)) if m and name[m.end() :] else None
    name = name[m.end() :] if year else name
    return year, _BUDGET_SUFFIX.sub("", name) or name


def document_label(problem: Mapping, jurisdiction: str | None) -> str:
    """`深圳市宝安区 2022 文化广电旅游体育局`: jurisdiction name, year, and the department (else
    what the file name says) without the jurisdiction already in front."""
    year, name = problem.get("fiscal_year"), one_line(problem.get("department"))
    if not name:
        file_year, name = file_label(problem.get("file_name"))
        year = year or file_year
    if jurisdiction and name.startswith(jurisdiction) and name[len(jurisdiction) :]:
        name = name[len(jurisdiction) :]
    parts = [
        jurisdiction or "(jurisdiction unknown)",
        str(year) if year else "",
        name or problem["doc_id"][:16],
    ]
    return " ".join(p for p in parts if p)


def problem_lines(report, width: int, verbose: bool) -> list[str]:
    """The quarantined and failed documents by status: one line each (label, first reason cut to
    the width, `(+N)`: more reasons); verbose: the doc id, the file and every reason in full."""
    if not report.problems:
        return []
    totals = {status: current for status, current, _ in report.counts}
    labels = [document_label(p, p.get("jurisdiction_name")) for p in report.problems]
    label_width = min(max(cells(x) for x in labels), max(width - 6 - MIN_REASON_WIDTH, (width - 6) // 2))
    out: list[str] = []
    status = None
    for p, label in zip(report.problems, labels, strict=True):
        if p["status"] != status:
            status = p["status"]
            hint = "every reason" if verbose else "first reason; --verbose: all"
            out += ["", cut(f"{status.capitalize()} ({totals.get(status, 0):,}): {hint}", width)]
        reasons = [one_line(r) for r in p["reasons"]] or ["(no reason recorded)"]
        if verbose:
            out += wrap(label, width, first="  ", rest="    ")
            doc, file = f"doc {p['doc_id'][:16]}", f"file {one_line(p.get('file_name')) or '?'}"
            if cells(f"    {doc} · {file}") <= width:
                out.append(f"    {doc} · {file}")
            else:
                out += [f"    {doc}", *wrap(file, width, first="    ")]
            for i, reason in enumerate(reasons, 1):
                out += wrap(reason, width, first=f"    {i}. " if len(reasons) > 1 else "    - ")
            continue
        more = f" (+{len(reasons) - 1})" if len(reasons) > 1 else ""
        head = "  " + pad(label, label_width) + "  "
        out.append(head + cut(reasons[0], width - cells(head) - cells(more)) + more)
    if report.problems_total > len(report.problems):
        out.append(f"  … and {report.problems_total - len(report.problems):,} more (--limit N lists more)")
    return out


# What the counts of a run summary (pipeline.runner.RunSummary.to_json) are called: (one, many).
RUN_COUNT_NAMES: dict[str, tuple[str, str]] = {
    "sources": ("source", "sources"),
    "found": ("document found", "documents found"),
    "fetch_errors": ("fetch error", "fetch errors"),
    "quarantined": ("quarantined", "quarantined"),
    "unmapped_departments": ("unmapped department", "unmapped departments"),
    "budget_changes": ("budget joined or replaced", "budgets joined or replaced"),
}
RUN_ALWAYS_COUNTED = frozenset({"quarantined"})  # other lists only when not empty
RUN_SKIPPED = frozenset(
    {
        "run_id",
        "started_at",
        "finished_at",
        "success",
        "error",
        "elapsed_s",
        "steps",
        "outputs",
        "fetch_problems",
    }
)


def run_counts(summary: Mapping) -> list[str]:
    """The counts of a run summary as words (`12 sources`, `137 documents found`); a list counts
    its items; texts, mappings and the fields shown elsewhere are left out."""
    out = []
    for key, value in summary.items():
        if key in RUN_SKIPPED or isinstance(value, bool):
            continue
        if isinstance(value, list | tuple):
            if not value and key not in RUN_ALWAYS_COUNTED:
                continue
            value = len(value)
        if not isinstance(value, int):
            continue
        default = key.replace("_", " ")
        one, many = RUN_COUNT_NAMES.get(key, (default, default))
        out.append(f"{value:,} {one if value == 1 else many}")
    return out


def run_seconds(run: Mapping, now: datetime) -> float | None:
    """How long the run took (or has been running)."""
    start, end = (
        run.get("started_at"),
        run.get("finished_at") or (now if run.get("status") == "running" else None),
    )
    if isinstance(start, datetime) and isinstance(end, datetime):
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        if end.tzinfo is None:
            end = end.replace(tzinfo=UTC)
        return (end - start).total_seconds()
    summary = run.get("summary")
    elapsed = summary.get("elapsed_s") if isinstance(summary, Mapping) else None
    return float(elapsed) if isinstance(elapsed, int | float) and not isinstance(elapsed, bool) else None


def step_seconds(steps: object) -> list[tuple[str, float]]:
    """(step, seconds) of a run summary's `steps` (step → start/end epoch seconds, seconds)."""
    out = []
    if isinstance(steps, Mapping):
        for name, t in steps.items():
            if isinstance(t, Mapping) and isinstance(t.get("seconds"), int | float):
                out.append((str(name), float(t["seconds"])))
    return out


def run_lines(run: Mapping | None, width: int, verbose: bool, now: datetime) -> list[str]:
    """The last run: status, local start time, duration, its counts in words; verbose adds the run
    id, the error in full, the outputs and the time of each step."""
    if run is None:
        return ["Last run      none recorded"]
    status = one_line(run.get("status")) or "unknown"
    seconds = run_seconds(run, now)
    text = f"{status}, started {local_time(run.get('started_at'))}"
    if seconds is not None:
        text += f", {'running for' if status == 'running' else 'took'} {duration(seconds)}"
    out = keyed("Last run", text, width)
    summary = run.get("summary")
    indent = " " * KEY_WIDTH
    if isinstance(summary, Mapping):
        counts = run_counts(summary)
        if counts:
            out += wrap_items(counts, width, first=indent)
        if summary.get("error"):
            error = one_line(str(summary["error"]))
            out += (
                wrap(f"error: {error}", width, first=indent)
                if verbose
                else [indent + cut(f"error: {error}", width - KEY_WIDTH)]
            )
    elif summary:
        out += [indent + cut(f"summary: {one_line(str(summary))}", width - KEY_WIDTH)]
    if verbose:
        out += wrap(f"run id {one_line(run.get('run_id'))}", width, first=indent)
        if isinstance(summary, Mapping):
            outputs = summary.get("outputs")
            if isinstance(outputs, Mapping):
                for name, where in outputs.items():
                    out += wrap(f"{name}: {one_line(str(where))}", width, first=indent)
            steps = step_seconds(summary.get("steps"))
            if steps:
                out += wrap_items(
                    [f"{name} {duration(s)}" for name, s in steps], width, first=indent + "steps: "
                )
    return out


def url_label(url: str, verbose: bool) -> str:
    """The URL percent-decoded; by default only its last path segment (and query)."""
    parts = urlsplit(url)
    if verbose:
        return unquote(url)
    last = parts.path.rstrip("/").rsplit("/", 1)[-1] or parts.netloc
    return unquote(last + (f"?{parts.query}" if parts.query else ""))


def fetch_error_lines(report, width: int, verbose: bool) -> list[str]:
    """The latest fetch errors, one per URL and outcome: local time, jurisdiction name, outcome,
    the file; verbose: the whole URL, the HTTP status, attempts and the error in full."""
    if not report.fetch_errors_total:
        return ["Fetch errors  none"]
    shown = len(report.fetch_errors)
    out = [cut(f"Fetch errors  {plural(report.fetch_errors_total, 'URL')} (latest first)", width)]
    for e in report.fetch_errors:
        times = f" ({e['times']}×)" if e.get("times", 1) > 1 else ""
        what = [local_time(e["fetched_at"]), e.get("jurisdiction_name") or "?", f"{e['outcome']}{times}"]
        if not verbose:
            out.append(cut("  " + "  ".join([*what, url_label(e["url"], False)]), width))
            continue
        out += wrap(" ".join(what), width, first="  ", rest="    ")
        out += wrap(url_label(e["url"], True), width, first="    ")
        detail = [f"HTTP {e['status']}" if e.get("status") is not None else "no response"]
        if e.get("attempts"):
            detail.append(plural(e["attempts"], "attempt"))
        if e.get("error"):
            detail.append(one_line(e["error"]))
        out += wrap(", ".join(detail), width, first="    ")
    if report.fetch_errors_total > shown:
        out.append(f"  … and {report.fetch_errors_total - shown:,} more")
    return out


def render_lines(report, *, width: int, verbose: bool, now: datetime) -> list[str]:
    """The whole status as lines of at most `width` columns."""
    width = max(width, MIN_WIDTH)
    if report.empty:
        return [
            cut(
                "No documents, runs or fetches in the warehouse yet: `budgetlens run` fills it.",
                width,
            )
        ]
    flags = (report.withheld_figures, report.withheld_documents, report.warned_documents)
    sections: Iterable[list[str]] = (
        document_lines(report.counts, flags, width) + check_lines(report.checks, width),
        reason_count_lines(report.reason_counts, width),
        problem_lines(report, width, verbose),
        run_lines(report.last_run, width, verbose, now),
        fetch_error_lines(report, width, verbose),
    )
    out: list[str] = []
    for section in sections:
        if not section:
            continue
        if out and section[0] != "":
            out.append("")
        out += section
    return [cut(line, width) for line in out]  # a last guard: nothing may spill over the width
