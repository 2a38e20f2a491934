"""Geometry for the dashboard's server-drawn SVG charts (templates/dashboard/).

Pure Python: numbers in, coordinates out (viewBox units), no ORM and no request. The
templates draw them; colour is never the only signal (each valence also has a symbol,
a text label and, for negative and neutral, a pattern fill)."""

from __future__ import annotations

import math
from html import escape

from django.utils.safestring import mark_safe

from .html import format_html

VALENCE_SYMBOL = {"positive": "▲", "neutral": "●", "negative": "▼"}
# Stacked bottom-up: negative at the base, where the eye compares it across periods.
STACK_ORDER = ("negative", "neutral", "positive")


def nice_max(value: float, ticks: int = 4) -> tuple[float, float]:
    """A round axis maximum at or above `value`, and its tick step (1, 2, 2.5 or 5 x 10^k)."""
    if value <= 0:
        return 1, 1
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw:
            break
    if step < 1:  # counts: whole-number steps
        step = 1
    top = step * math.ceil(value / step)
    return top, step


def _fmt(value: float) -> str:
    return f"{value:g}"


def stacked_columns(
    columns: list[dict], *, width: int = 960, height: int = 260, max_labels: int = 14
) -> dict:
    """One column per period, stacked by valence.

    `columns`: {"label", "title", "total", "href",
    "segments": {valence: {"count", "href", "label"}}}.
    """
    left, right, top, bottom = 44, 8, 10, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(columns), 1)
    slot = plot_w / count
    bar_w = round(min(slot * 0.72, 56), 2)
    highest = max((column["total"] for column in columns), default=0)
    axis_top, step = nice_max(highest)
    scale = plot_h / axis_top
    baseline = top + plot_h
    every = max(1, math.ceil(len(columns) / max_labels))
    bars = []
    for index, column in enumerate(columns):
        x = round(left + slot * index + (slot - bar_w) / 2, 2)
        y = baseline
        segments = []
        for valence in STACK_ORDER:
            part = column["segments"][valence]
            value = part["count"]
            if not value:
                continue
            h = value * scale
            y -= h
            segments.append(
                {
                    **part,
                    "valence": valence,
                    "symbol": VALENCE_SYMBOL[valence],
                    "x": x,
                    "y": round(y, 2),
                    "w": bar_w,
                    "h": round(h, 2),
                }
            )
        bars.append(
            {
                **column,
                "segments": segments,
                "label_x": round(left + slot * index + slot / 2, 2),
                "show_label": index % every == 0,
                "hit_x": round(left + slot * index, 2),
                "hit_w": round(slot, 2),
            }
        )
    grid = []
    value = 0.0
    while value <= axis_top + 1e-9:
        y = round(baseline - value * scale, 2)
        grid.append({"y": y, "text_y": y + 3, "label": _fmt(value)})
        value += step
    return {
        "width": width,
        "height": height,
        "left": left,
        "axis_x": left - 6,
        "right": width - right,
        "baseline": baseline,
        "label_y": baseline + 18,
        "bars": bars,
        "grid": grid,
    }


def hbars(
    items: list[dict], *, max_value: float | None = None, width: int = 560, row: int = 26
) -> dict:
    """Horizontal bars, one per item ({"label", "value", ...}), labels left of the bars."""
    label_w, right, value_w = 190, 8, 64
    plot_w = width - label_w - value_w - right
    top_value = max_value or max((item["value"] or 0 for item in items), default=0) or 1
    rows = []
    for index, item in enumerate(items):
        value = item["value"] or 0
        rows.append(
            {
                **item,
                "y": index * row,
                "text_y": index * row + row / 2 + 4,
                "bar_x": label_w,
                "bar_w": round(max(value / top_value * plot_w, 0), 2),
                "bar_h": row - 8,
                "bar_y": index * row + 4,
                "value_x": label_w + round(max(value / top_value * plot_w, 0), 2) + 6,
            }
        )
    return {
        "width": width,
        "height": max(len(items) * row, row),
        "rows": rows,
        "label_x": label_w - 8,
        "axis_x": label_w,
    }


def shares(rows: list[dict], keys: tuple[str, ...], *, width: int = 560, row: int = 28) -> dict:
    """100 % stacked horizontal bars: each row's `keys` as shares of its total."""
    label_w, right = 170, 8
    plot_w = width - label_w - right
    result = []
    for index, item in enumerate(rows):
        total = sum(item["counts"][key] for key in keys) or 1
        x = float(label_w)
        segments = []
        for key in keys:
            value = item["counts"][key]
            w = value / total * plot_w
            if value:
                segments.append(
                    {
                        "key": key,
                        "count": value,
                        "share": value / total,
                        "x": round(x, 2),
                        "w": round(w, 2),
                        "href": item["hrefs"][key],
                    }
                )
            x += w
        result.append(
            {
                **item,
                "segments": segments,
                "bar_y": index * row + 4,
                "bar_h": row - 8,
                "text_y": index * row + row / 2 + 4,
            }
        )
    return {
        "width": width,
        "height": max(len(rows) * row, row),
        "rows": result,
        "label_x": label_w - 8,
    }


def sparkline(days: list[tuple[int, int]], *, width: int = 180, height: int = 28) -> dict:
    """Tiny daily columns: (total, negative) per day; the negative part hatched."""
    count = max(len(days), 1)
    slot = width / count
    bar_w = max(round(slot * 0.8, 2), 0.6)
    highest = max((total for total, _negative in days), default=0) or 1
    bars = []
    for index, (total, negative) in enumerate(days):
        h = total / highest * (height - 2)
        neg_h = negative / highest * (height - 2)
        bars.append(
            {
                "x": round(index * slot, 2),
                "w": bar_w,
                "y": round(height - h, 2),
                "h": round(h, 2),
                "neg_y": round(height - neg_h, 2),
                "neg_h": round(neg_h, 2),
            }
        )
    return {"width": width, "height": height, "bars": bars}


def sparkline_svg(spark: dict, label: str, hrefs: list[str] | None = None) -> str:
    """A sparkline as SVG, written in Python: the agent-load table draws 25 of them of
    about 31 columns, two rectangles each, which through template tags cost more than
    the rest of the dashboard's drawing together (docs/dashboard.md, "Speed"). The
    coordinates are numbers made here, so only the label and the links need escaping.

    With `hrefs` (one per column), each column with interactions links to them; the
    links are for the pointer only (tabindex -1): a keyboard reaches the same rows from
    the row's own numbers, not through some thirty stops per person."""
    rects = []
    for index, bar in enumerate(spark["bars"]):
        x, w = float(bar["x"]), float(bar["w"])
        column = ""
        if bar["h"]:
            column = (
                f'<rect x="{x:g}" y="{float(bar["y"]):g}" width="{w:g}"'
                f' height="{float(bar["h"]):g}" class="spark-total"/>'
            )
        if bar["neg_h"]:
            column += (
                f'<rect x="{x:g}" y="{float(bar["neg_y"]):g}" width="{w:g}"'
                f' height="{float(bar["neg_h"]):g}" class="seg seg-negative"/>'
            )
        if column and hrefs:
            column = f'<a href="{escape(hrefs[index])}" tabindex="-1">{column}</a>'
        rects.append(column)
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" preserveAspectRatio="none" role="img"'
        ' aria-label="{}">{}</svg>',
        spark["width"],
        spark["height"],
        label,
        mark_safe("".join(rects)),
    )
