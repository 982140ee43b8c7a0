"""Charts as inline SVG, drawn in Python (no library, no network): bars and scatter plots.

Pure functions: data in, `markupsafe.Markup` out. Every string that came from a document is
escaped; links are only the report's own relative hrefs (or http(s) URLs) checked by the caller.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#7f7f7f",
    "#bcbd22",
    "#393b79",
    "#ad494a",
)

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Bar:
    """One bar: a label (department), its value, its group (peer group), an optional link."""

    label: str
    value: float
    group: str = ""
    href: str | None = None


@dataclass(frozen=True)
class Point:
    """One point of a scatter plot."""

    label: str
    x: float
    y: float
    group: str = ""
    href: str | None = None


def colors_for(groups: Sequence[str], fixed: Mapping[str, str] | None = None) -> dict[str, str]:
    """A color per group: from `fixed` where it has one (same group, same color on every chart),
    else the next palette color; in `fixed`'s order, then in order of first appearance."""
    present = dict.fromkeys(groups)
    out: dict[str, str] = {g: c for g, c in (fixed or {}).items() if g in present}
    for g in present:
        if g not in out:
            out[g] = PALETTE[len(out) % len(PALETTE)]
    return out


def group_colors(groups: Sequence[str], last: str = "other") -> dict[str, str]:
    """Stable colors for a whole report: groups sorted, `last` (the untyped group) at the end."""
    ordered = sorted(set(groups), key=lambda g: (g == last, g))
    return {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(ordered)}


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About `n` round tick values covering [lo, hi] (1, 2, 2.5 or 5 × a power of ten apart)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError("ticks need finite bounds")
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / max(n, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    t = start
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 12))
        t += step
    if ticks[-1] < hi:
        ticks.append(round(t, 12))
    return ticks


# Value labels: 11 px text (report.css). A generous width estimate per character, so a label placed
# clear of the median line by this estimate is clear of it as the browser draws it.
FONT_PX = 11.0
LABEL_GAP = 4.0


def text_width(text: str, font_px: float = FONT_PX) -> float:
    """An upper bound of the drawn width of `text` (ASCII about 0.6 em, wider characters 1 em)."""
    return sum(font_px * (0.65 if ord(ch) < 0x2E80 else 1.0) for ch in text)


def value_label_x(x: float, text: str, median_x: float | None) -> float:
    """Where a value label starts: at `x` (just past its bar), unless the label would cross the
    group's median line, then just right of the line, so the dashed line never runs through a figure."""
    if median_x is not None and x - LABEL_GAP < median_x < x + text_width(text) + LABEL_GAP:
        return median_x + LABEL_GAP
    return x


def _link(href: str | None, inner: str) -> str:
    if not href:
        return inner
    return f'<a href="{escape(href)}">{inner}</a>'


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    fmt: Formatter,
    medians: Mapping[str, float] | None = None,
    grouped: bool = True,
    colors: Mapping[str, str] | None = None,
    width: int = 820,
    label_width: int = 300,
) -> Markup:
    """Horizontal bars, one per item, grouped by `group` (a heading per group, its median as a line).

    Negative values draw to the left of a zero line (year-on-year changes). Empty input gives a
    short note instead of an empty chart.
    """
    items = [b for b in bars if b.value is not None and math.isfinite(b.value)]
    if not items:
        return Markup('<p class="no-chart">{}</p>').format(f"{title}: no values to draw.")
    value_width = 110
    plot_w = width - label_width - value_width
    lo = min(0.0, min(b.value for b in items))
    hi = max(0.0, max(b.value for b in items))
    if medians:
        hi = max(hi, *medians.values())
    if hi == lo:
        hi = lo + 1.0
    ticks = nice_ticks(lo, hi)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])

    def x(v: float) -> float:
        return label_width + (v - lo) / (hi - lo) * plot_w

    colors = colors_for([b.group for b in items], colors)
    row_h, group_h, top = 18, 24, 28
    parts: list[str] = []
    y = top
    order: list[tuple[str, list[Bar]]] = []
    if grouped:
        for g in colors:
            order.append((g, sorted((b for b in items if b.group == g), key=lambda b: -b.value)))
    else:
        order.append(("", sorted(items, key=lambda b: -b.value)))
    for group, members in order:
        if grouped:
            head = f"{group} ({len(members)})"
            if medians and group in medians:
                head += f" · median {fmt(medians[group])}"
            parts.append(f'<text class="grp" x="4" y="{y + 16}">{escape(head)}</text>')
            y += group_h
        first_y = y
        mx = x(medians[group]) if grouped and medians and group in medians else None
        for b in members:
            x0, x1 = sorted((x(0.0), x(b.value)))
            # ungrouped bars (changes) are colored by sign: an increase red, a decrease green
            color = colors[b.group] if grouped else (PALETTE[1] if b.value > 0 else PALETTE[2])
            text = fmt(b.value)
            vx = value_label_x(max(x1, x(0.0)) + LABEL_GAP, text, mx)
            bar = (
                f"<g><title>{escape(b.label)}: {escape(text)}</title>"
                f'<text class="lbl" x="{label_width - 6}" y="{y + 13}" text-anchor="end">{escape(b.label)}</text>'
                f'<rect x="{x0:.1f}" y="{y + 3}" width="{max(x1 - x0, 0.5):.1f}" height="{row_h - 5}" '
                f'fill="{color}"/>'
                f'<text class="val" x="{vx:.1f}" y="{y + 13}">{escape(text)}</text></g>'
            )
            parts.append(_link(b.href, bar))
            y += row_h
        if mx is not None:
            parts.append(
                f'<line class="median" x1="{mx:.1f}" x2="{mx:.1f}" y1="{first_y}" y2="{y}">'
                f"<title>median of {escape(group)}: {escape(fmt(medians[group]))}</title></line>"
            )
    height = y + 30
    axis = [f'<line class="axis" x1="{x(lo):.1f}" x2="{x(hi):.1f}" y1="{y + 4}" y2="{y + 4}"/>']
    for t in ticks:
        axis.append(
            f'<line class="grid" x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top}" y2="{y + 4}"/>'
            f'<text class="tick" x="{x(t):.1f}" y="{y + 18}" text-anchor="middle">{escape(fmt(t))}</text>'
        )
    if lo < 0 < hi:
        axis.append(f'<line class="zero" x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{top}" y2="{y + 4}"/>')
    return Markup(
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img"><title>{escape(title)}</title>'
        f'<text class="ttl" x="4" y="16">{escape(title)}</text>' + "".join(axis) + "".join(parts) + "</svg>"
    )


def scatter_chart(
    points: Sequence[Point],
    *,
    title: str,
    x_label: str,
    y_label: str,
    x_fmt: Formatter,
    y_fmt: Formatter,
    colors: Mapping[str, str] | None = None,
    width: int = 820,
    height: int = 480,
    diagonal: str | None = None,
) -> Markup:
    """A scatter plot with axes, ticks and a legend of groups; each point links where `href` says.
    `diagonal`: both axes on one scale and the line y = x drawn, labelled with this text (e.g. spent
    = budgeted: a point above it spent more than budgeted)."""
    items = [
        p for p in points if p.x is not None and p.y is not None and math.isfinite(p.x) and math.isfinite(p.y)
    ]
    if not items:
        return Markup('<p class="no-chart">{}</p>').format(f"{title}: no values to draw.")
    colors = colors_for([p.group for p in items], colors)
    legend_w = 190
    left, right, top, bottom = 64, legend_w + 16, 30, 46
    pw, ph = width - left - right, height - top - bottom
    xt = nice_ticks(min(0.0, min(p.x for p in items)), max(p.x for p in items))
    yt = nice_ticks(min(0.0, min(p.y for p in items)), max(p.y for p in items))
    if diagonal is not None:
        xt = yt = nice_ticks(min(xt[0], yt[0]), max(xt[-1], yt[-1]))

    def sx(v: float) -> float:
        return left + (v - xt[0]) / (xt[-1] - xt[0]) * pw

    def sy(v: float) -> float:
        return top + ph - (v - yt[0]) / (yt[-1] - yt[0]) * ph

    parts = [
        f'<text class="ttl" x="4" y="16">{escape(title)}</text>',
        f'<rect class="frame" x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none"/>',
    ]
    for t in xt:
        parts.append(
            f'<line class="grid" x1="{sx(t):.1f}" x2="{sx(t):.1f}" y1="{top}" y2="{top + ph}"/>'
            f'<text class="tick" x="{sx(t):.1f}" y="{top + ph + 16}" text-anchor="middle">{escape(x_fmt(t))}</text>'
        )
    for t in yt:
        parts.append(
            f'<line class="grid" x1="{left}" x2="{left + pw}" y1="{sy(t):.1f}" y2="{sy(t):.1f}"/>'
            f'<text class="tick" x="{left - 6}" y="{sy(t) + 4:.1f}" text-anchor="end">{escape(y_fmt(t))}</text>'
        )
    if diagonal is not None:
        parts.append(
            f'<line class="diagonal" x1="{sx(xt[0]):.1f}" y1="{sy(yt[0]):.1f}" x2="{sx(xt[-1]):.1f}" '
            f'y2="{sy(yt[-1]):.1f}" stroke-dasharray="4 3"><title>{escape(diagonal)}</title></line>'
            f'<text class="tick" x="{sx(xt[-1]) - 4:.1f}" y="{sy(yt[-1]) + 14:.1f}" text-anchor="end">'
            f"{escape(diagonal)}</text>"
        )
    parts.append(
        f'<text class="axis-label" x="{left + pw / 2:.1f}" y="{height - 8}" text-anchor="middle">'
        f"{escape(x_label)}</text>"
        f'<text class="axis-label" x="14" y="{top + ph / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + ph / 2:.1f})">{escape(y_label)}</text>'
    )
    for p in items:
        dot = (
            f"<g><title>{escape(p.label)} ({escape(p.group)}): {escape(x_fmt(p.x))}, {escape(y_fmt(p.y))}</title>"
            f'<circle cx="{sx(p.x):.1f}" cy="{sy(p.y):.1f}" r="5" fill="{colors[p.group]}" fill-opacity="0.75"/></g>'
        )
        parts.append(_link(p.href, dot))
    lx = width - legend_w
    for i, (g, color) in enumerate(colors.items()):
        ly = top + 8 + i * 18
        parts.append(
            f'<circle cx="{lx + 6}" cy="{ly}" r="5" fill="{color}"/>'
            f'<text class="lgd" x="{lx + 16}" y="{ly + 4}">{escape(g)}</text>'
        )
    return Markup(
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img"><title>{escape(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )


__all__ = [
    "Bar",
    "Point",
    "bar_chart",
    "colors_for",
    "group_colors",
    "nice_ticks",
    "scatter_chart",
    "text_width",
    "value_label_x",
]
