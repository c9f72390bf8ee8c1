"""Charts drawn on the server as SVG, for the PDF board pack (WeasyPrint runs no JavaScript).

A small renderer of our own: line, column (vertical bars), bar (horizontal bars) and pie, from
labels and numeric series. Coordinates are floats (geometry, not money); every label is escaped,
since firm and matter names come from outside.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

Number = int | float | Decimal
COLOURS = ("#1f4e79", "#7aa6d6", "#b42318", "#1e7b47", "#c77c02", "#6941c6", "#667085", "#0e9384")
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 28, 64


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    values: Sequence[Number | None]


def chart_svg(kind: str, title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    draw = {"line": _line, "column": _column, "bar": _bar, "pie": _pie}[kind]
    body = draw(labels, series) if labels and series else _empty()
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}" '
        'font-family="sans-serif" font-size="10">'
        f'<text x="{WIDTH / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">'
        f"{escape(title)}</text>{body}</svg>"
    )


def _num(value: Number | None) -> float:
    return float(value) if value is not None else 0.0


def _scale(series: Sequence[Series]) -> tuple[float, float]:
    """The value axis from zero (or the lowest negative) to a round maximum."""
    values = [_num(v) for s in series for v in s.values]
    low, high = min([0.0, *values]), max([0.0, *values])
    return low, _nice(high) if high > 0 else 1.0


def _nice(value: float) -> float:
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _short(value: float) -> str:
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def _axes(low: float, high: float, plot_h: float) -> str:
    parts = []
    for i in range(5):
        value = low + (high - low) * i / 4
        y = TOP + plot_h - (value - low) / (high - low) * plot_h
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e4e7ec"/>'
            f'<text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end">{_short(value)}</text>'
        )
    return "".join(parts)


def _legend(series: Sequence[Series], y: float) -> str:
    parts, x = [], float(LEFT)
    for i, s in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 8:.1f}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14:.1f}" y="{y:.1f}">{escape(s.label)}</text>'
        )
        x += 24 + 6 * len(s.label)
    return "".join(parts)


def _category_labels(labels: Sequence[str], centres: Sequence[float], y: float) -> str:
    every = max(1, math.ceil(len(labels) / 12))  # at most a dozen labels fit under the axis
    return "".join(
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle">{escape(_clip(label))}</text>'
        for i, (label, x) in enumerate(zip(labels, centres, strict=False))
        if i % every == 0
    )


def _clip(label: str, size: int = 14) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def _line(labels: Sequence[str], series: Sequence[Series]) -> str:
    low, high = _scale(series)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(labels) - 1)
    xs = [LEFT + i * step for i in range(len(labels))]
    parts = [_axes(low, high, plot_h)]
    for i, s in enumerate(series):
        points = " ".join(
            f"{x:.1f},{TOP + plot_h - (_num(v) - low) / (high - low) * plot_h:.1f}"
            for x, v in zip(xs, s.values, strict=False)
            if v is not None
        )
        colour = COLOURS[i % len(COLOURS)]
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
        )
    parts.append(_category_labels(labels, xs, TOP + plot_h + 14))
    parts.append(_legend(series, HEIGHT - 12))
    return "".join(parts)


def _column(labels: Sequence[str], series: Sequence[Series]) -> str:
    low, high = _scale(series)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(labels)
    bar = slot * 0.8 / len(series)
    zero = TOP + plot_h - (0 - low) / (high - low) * plot_h
    parts = [_axes(low, high, plot_h)]
    for i, s in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        for j, v in enumerate(s.values):
            y = TOP + plot_h - (_num(v) - low) / (high - low) * plot_h
            x = LEFT + j * slot + slot * 0.1 + i * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{min(y, zero):.1f}" width="{bar:.1f}" '
                f'height="{abs(zero - y):.1f}" fill="{colour}"/>'
            )
    centres = [LEFT + (j + 0.5) * slot for j in range(len(labels))]
    parts.append(_category_labels(labels, centres, TOP + plot_h + 14))
    parts.append(_legend(series, HEIGHT - 12))
    return "".join(parts)


def _bar(labels: Sequence[str], series: Sequence[Series]) -> str:
    """Horizontal bars: long names (firms, practice areas) stay readable on the left."""
    values = [_num(v) for v in series[0].values]
    high = _nice(max(values)) if values and max(values) > 0 else 1.0
    name_w, top = 150, TOP + 4
    row_h = (HEIGHT - top - 8) / len(labels)
    parts = []
    for j, (label, v) in enumerate(zip(labels, values, strict=False)):
        y = top + j * row_h
        w = max(0.0, v) / high * (WIDTH - name_w - 60)
        parts.append(
            f'<text x="{name_w - 6}" y="{y + row_h * 0.6:.1f}" text-anchor="end">'
            f"{escape(_clip(label, 26))}</text>"
            f'<rect x="{name_w}" y="{y + row_h * 0.15:.1f}" width="{w:.1f}" '
            f'height="{row_h * 0.7:.1f}" fill="{COLOURS[0]}"/>'
            f'<text x="{name_w + w + 4:.1f}" y="{y + row_h * 0.6:.1f}">{_short(v)}</text>'
        )
    return "".join(parts)


def _pie(labels: Sequence[str], series: Sequence[Series]) -> str:
    values = [max(0.0, _num(v)) for v in series[0].values]
    total = sum(values)
    if total <= 0:
        return _empty()
    cx, cy, r = 170.0, HEIGHT / 2 + 10, 110.0
    parts, angle = [], -math.pi / 2
    for j, v in enumerate(values):
        sweep = v / total * 2 * math.pi
        colour = COLOURS[j % len(COLOURS)]
        parts.append(_slice(cx, cy, r, angle, sweep, colour))
        y = 40 + j * 16
        parts.append(
            f'<rect x="320" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="336" y="{y}">{escape(_clip(labels[j], 40))} ({v / total:.1%})</text>'
        )
        angle += sweep
    return "".join(parts)


def _slice(cx: float, cy: float, r: float, start: float, sweep: float, colour: str) -> str:
    if sweep >= 2 * math.pi - 1e-9:  # a full circle cannot be drawn as one arc
        return f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{colour}"/>'
    x1, y1 = cx + r * math.cos(start), cy + r * math.sin(start)
    x2, y2 = cx + r * math.cos(start + sweep), cy + r * math.sin(start + sweep)
    large = 1 if sweep > math.pi else 0
    return (
        f'<path d="M{cx:.1f},{cy:.1f} L{x1:.1f},{y1:.1f} '
        f'A{r:.1f},{r:.1f} 0 {large} 1 {x2:.1f},{y2:.1f} Z" fill="{colour}" stroke="#fff"/>'
    )


def _empty() -> str:
    return f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">No data</text>'
