"""Small server-side SVG charts: lines (with optional 95 % interval bands) and grouped bars.

No JavaScript. Each chart is an `<svg role="img">` with a `<title>` and a `<desc>`; the page puts
the same numbers in a table beside it, so the picture is never the only way to the data. Series
differ by colour *and* by line dash or bar hatching, so they can be told apart without colour.
Every text that reaches the SVG is escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import count

from django.utils.html import escape

WIDTH, HEIGHT = 720, 340
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 20, 20, 76
COLOURS = ("#0b5cad", "#b3361d", "#1c7a3e", "#7a3e9d", "#8a6d00", "#3b4a5a")
DASHES = ("", "7 4", "2 3", "10 3 2 3", "4 4", "1 2")
_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    low: Sequence[float | None] | None = None  # interval band (same length as values)
    high: Sequence[float | None] | None = None


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    labels: Sequence[str]
    series: Sequence[Series]
    y_label: str = ""
    y_min: float | None = None
    y_max: float | None = None
    y_format: Callable[[float], str] = field(default=lambda v: f"{v:g}")
    zero_line: bool = False


def nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Round tick values covering [low, high] (steps of 1, 2, 2.5 or 5 × 10ⁿ)."""
    if math.isclose(low, high):
        low, high = low - 1, high + 1
    raw = (high - low) / max(1, target)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def _bounds(chart: Chart) -> tuple[float, float]:
    values: list[float] = []
    for s in chart.series:
        for seq in (s.values, s.low or (), s.high or ()):
            values.extend(v for v in seq if v is not None)
    low = min(values, default=0.0) if chart.y_min is None else chart.y_min
    high = max(values, default=1.0) if chart.y_max is None else chart.y_max
    if chart.y_min is None and low > 0:
        low = 0.0
    ticks = nice_ticks(low, high)
    return (ticks[0] if chart.y_min is None else chart.y_min), (ticks[-1] if chart.y_max is None else chart.y_max)


class _Frame:
    def __init__(self, chart: Chart, *, categorical: bool = False) -> None:
        self.chart = chart
        self.low, self.high = _bounds(chart)
        self.plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
        self.n = max(1, len(chart.labels))
        widest = max((len(label) for label in chart.labels), default=1) * 7 + 10  # about 7 px a character
        crowded = widest > self.plot_w / self.n
        # categories are all named (slanted when crowded); a time axis shows every n-th label instead
        self.slant = categorical and crowded
        self.step = 1 if categorical or not crowded else math.ceil(widest / (self.plot_w / self.n))
        self.bottom = MARGIN_BOTTOM + (min(widest, 120) * 0.5 if self.slant else 0)
        # room above the plot for the values of bars that run off the scale, one line per series
        clipped = sum(1 for s in chart.series if any(v is not None and v > self.high for v in s.values))
        self.top = MARGIN_TOP + 14 * clipped
        self.plot_h = HEIGHT - self.top - self.bottom

    def y(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        return self.top + self.plot_h * (1 - (value - self.low) / span)

    def x_centre(self, index: int) -> float:
        return MARGIN_LEFT + self.plot_w * (index + 0.5) / self.n


def _open(chart: Chart) -> tuple[str, list[str]]:
    uid = f"chart{next(_ids)}"
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="chart" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" preserveAspectRatio="xMidYMid meet" font-family="inherit" font-size="13">',
        f'<title id="{uid}-t">{escape(chart.title)}</title>',
        f'<desc id="{uid}-d">{escape(chart.description)}</desc>',
    ]
    return uid, head


def _axes(frame: _Frame) -> list[str]:
    chart = frame.chart
    out = []
    for tick in nice_ticks(frame.low, frame.high):
        if tick < frame.low - 1e-9 or tick > frame.high + 1e-9:
            continue
        y = frame.y(tick)
        out.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d5dae0"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#3b4a5a">'
            f"{escape(chart.y_format(tick))}</text>"
        )
    if chart.zero_line and frame.low < 0 < frame.high:
        y0 = frame.y(0)
        out.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y0:.1f}" y2="{y0:.1f}" stroke="#3b4a5a"/>'
        )
    base = HEIGHT - frame.bottom + 18
    for index, label in enumerate(chart.labels):
        if index % frame.step:
            continue
        x = frame.x_centre(index)
        slanted = f'text-anchor="end" transform="rotate(-35 {x:.1f} {base - 6:.1f})"'
        placement = slanted if frame.slant else 'text-anchor="middle"'
        out.append(f'<text x="{x:.1f}" y="{base}" {placement} fill="#3b4a5a">{escape(label)}</text>')
    if chart.y_label:
        out.append(
            f'<text x="14" y="{frame.top + frame.plot_h / 2:.1f}" transform="rotate(-90 14 '
            f'{frame.top + frame.plot_h / 2:.1f})" text-anchor="middle" fill="#3b4a5a">{escape(chart.y_label)}</text>'
        )
    return out


def _legend(series: Sequence[Series], *, bars: bool) -> list[str]:
    out = []
    x = MARGIN_LEFT
    y = HEIGHT - 22
    for index, s in enumerate(series):
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        if bars:
            out.append(
                f'<rect x="{x}" y="{y - 10}" width="14" height="14" fill="{colour}" '
                f'fill-opacity="{1 if index % 2 == 0 else 0.55}" stroke="{colour}"/>'
            )
        else:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<line x1="{x}" x2="{x + 24}" y1="{y - 3}" y2="{y - 3}" stroke="{colour}" '
                f'stroke-width="3"{dash_attr}/>'
            )
        label_x = x + 30
        out.append(f'<text x="{label_x}" y="{y + 2}" fill="#1d2733">{escape(s.name)}</text>')
        x = label_x + 8 * len(s.name) + 28
    return out


def _band(frame: _Frame, s: Series, colour: str) -> str:
    if s.low is None or s.high is None:
        return ""
    upper, lower = [], []
    for index, (lo, hi) in enumerate(zip(s.low, s.high, strict=True)):
        if lo is None or hi is None:
            continue
        x = frame.x_centre(index)
        upper.append(f"{x:.1f},{frame.y(hi):.1f}")
        lower.append(f"{x:.1f},{frame.y(lo):.1f}")
    if len(upper) < 2:
        return ""
    points = " ".join(upper + lower[::-1])
    return f'<polygon points="{points}" fill="{colour}" fill-opacity="0.14" stroke="none"/>'


def _whiskers(frame: _Frame, s: Series, colour: str) -> list[str]:
    out: list[str] = []
    if s.low is None or s.high is None:
        return out
    for index, (lo, hi) in enumerate(zip(s.low, s.high, strict=True)):
        if lo is None or hi is None:
            continue
        x = frame.x_centre(index)
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.y(lo):.1f}" y2="{frame.y(hi):.1f}" stroke="{colour}" '
            f'stroke-opacity="0.6" stroke-width="1.5"/>'
        )
    return out


def _path(frame: _Frame, values: Sequence[float | None]) -> list[str]:
    """Polyline point lists, broken where a value is missing."""
    runs: list[str] = []
    current: list[str] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                runs.append(" ".join(current))
            current = []
            continue
        current.append(f"{frame.x_centre(index):.1f},{frame.y(value):.1f}")
    if current:
        runs.append(" ".join(current))
    return runs


def line_chart(chart: Chart) -> str:
    frame = _Frame(chart)
    _uid, out = _open(chart)
    out += _axes(frame)
    for index, s in enumerate(chart.series):
        colour = COLOURS[index % len(COLOURS)]
        out.append(_band(frame, s, colour))
        out += _whiskers(frame, s, colour)
    for index, s in enumerate(chart.series):
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in _path(frame, s.values):
            out.append(f'<polyline points="{run}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        for i, value in enumerate(s.values):
            if value is not None:
                out.append(f'<circle cx="{frame.x_centre(i):.1f}" cy="{frame.y(value):.1f}" r="3.5" fill="{colour}"/>')
    out += _legend(chart.series, bars=False)
    out.append("</svg>")
    return "".join(part for part in out if part)


def _break_mark(x: float, y: float, width: float, label: str, raise_by: float = 0) -> str:
    mid = y + 12
    return (
        f'<path d="M{x - 2:.1f},{mid + 3:.1f} l{width / 2:.1f},-6 l{width / 2 + 2:.1f},6" stroke="#fff" '
        f'stroke-width="3" fill="none"/>'
        f'<text x="{x + width / 2:.1f}" y="{y - 4 - raise_by:.1f}" text-anchor="start" fill="#1d2733" '
        f'font-weight="700">'
        f"{escape(label)}</text>"
    )


def clip_limit(values: Sequence[float | None], factor: float = 4.0) -> float | None:
    """An axis maximum that keeps outliers (over `factor` × the median) from flattening every other
    bar; they are drawn broken, with their value. None when no value is an outlier."""
    present = sorted(v for v in values if v is not None and v > 0)
    if len(present) < 3:
        return None
    median = present[len(present) // 2]
    ordinary = [v for v in present if v <= factor * median]
    if len(ordinary) == len(present):
        return None
    return nice_ticks(0, max(ordinary) * 1.15)[-1]


def bar_chart(chart: Chart) -> str:
    """Grouped vertical bars, one group per label, one bar per series."""
    frame = _Frame(chart, categorical=True)
    _uid, out = _open(chart)
    out += _axes(frame)
    groups = max(1, len(chart.series))
    slot = frame.plot_w / frame.n
    bar_w = max(2.0, slot * 0.8 / groups)
    base = frame.y(max(frame.low, 0.0))
    for s_index, s in enumerate(chart.series):
        colour = COLOURS[s_index % len(COLOURS)]
        opacity = 1 if s_index % 2 == 0 else 0.55
        for index, value in enumerate(s.values):
            if value is None:
                continue
            x = MARGIN_LEFT + slot * index + slot * 0.1 + bar_w * s_index
            top = frame.y(min(value, frame.high))
            y, h = min(top, base), abs(base - top)
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{max(h, 0.5):.1f}" '
                f'fill="{colour}" fill-opacity="{opacity}" stroke="{colour}"/>'
            )
            if value > frame.high:  # off the scale: a break in the bar and its true value
                out.append(_break_mark(x, y, bar_w, chart.y_format(value), raise_by=14 * s_index))
    out += _legend(chart.series, bars=True)
    out.append("</svg>")
    return "".join(out)
