"""Charts drawn on the server as SVG: no script, no CDN (bank intranets are closed)."""
from __future__ import annotations

import math
from html import escape

from markupsafe import Markup


def _text_width(text: str, font_size: float = 11) -> float:
    """About how wide a label is drawn: a Chinese character is a full em, Latin about 0.62 em."""
    return sum(font_size if ord(ch) > 0x2e80 else 0.62 * font_size for ch in text)


def radar(scores: dict, labels: dict, size: int = 300) -> Markup:
    """A four-axis radar of 0–100 scores, with the labels and values written on it; the drawing
    area grows sideways to hold the labels, so long ones ("Compliance 合规 85") are not cut off."""
    c, r = size / 2, size / 2 - 70
    axes = list(scores)
    def point(i, value):
        angle = -math.pi / 2 + 2 * math.pi * i / len(axes)
        return c + r * value / 100 * math.cos(angle), c + r * value / 100 * math.sin(angle)
    rings = "".join(
        f'<polygon points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level) for i in range(len(axes))))}" '
        f'class="ring"/>' for level in (25, 50, 75, 100))
    spokes = "".join(f'<line x1="{c}" y1="{c}" x2="{point(i, 100)[0]:.1f}" y2="{point(i, 100)[1]:.1f}" class="spoke"/>'
                     for i in range(len(axes)))
    shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, scores[a]) for i, a in enumerate(axes)))
    text, left, right = "", 0.0, float(size)
    for i, a in enumerate(axes):
        x, y = point(i, 112)
        anchor = "middle" if abs(x - c) < 5 else ("start" if x > c else "end")
        label = f"{labels.get(a, a)} {int(scores[a])}"
        width = _text_width(label)
        start = {"middle": x - width / 2, "start": x, "end": x - width}[anchor]
        left, right = min(left, start - 6), max(right, start + width + 6)
        text += (f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}" class="axis">'
                 f'{escape(label)}</text>')
    # Widen the box symmetrically, so the chart stays centred; it scales to its column's width
    # (an inline style could cap it, but the CSP forbids inline styles).
    pad = max(-left, right - size)
    return Markup(f'<svg class="radar" viewBox="{-pad:.0f} 0 {size + 2 * pad:.0f} {size}" width="100%" '
                  f'role="img" aria-label="radar">{rings}{spokes}<polygon points="{shape}" class="area"/>{text}</svg>')


def text_width(text: str, size: float = 11) -> float:
    """Roughly how wide a label is drawn: a CJK character a full em, other characters 0.6 em."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.6 for ch in str(text))


def _legend(items: list, x0: float, y0: float, width: float) -> tuple:
    """Legend keys ((css class, label) pairs) laid out left to right from (x0, y0), wrapping at
    `width`, in a band of their own; returns (svg, height used) so the plot is placed clear of it."""
    svg, x, y = "", x0, y0
    for css, label in items:
        span = 16 + text_width(label) + 18
        if x > x0 and x + span > x0 + width:
            x, y = x0, y + 18
        key = (f'<line x1="{x:.1f}" x2="{x + 12:.1f}" y1="{y + 6:.1f}" y2="{y + 6:.1f}" class="{css}"/>'
               if css == "mark" else f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" class="key {css}"/>')
        svg += f'{key}<text x="{x + 16:.1f}" y="{y + 10:.1f}" class="legend">{escape(str(label))}</text>'

        x += span
    return svg, (y - y0) + 18 if items else 0


def _date_ticks(start, end, count: int = 6, moments=()) -> list:
    """Where the date labels go: at the data's own moments when there are at most `count + 2`
    distinct ones (weekly points get their Mondays), else `count` evenly spaced from start to end."""
    distinct = sorted(set(moments))
    if distinct and len(distinct) <= count + 2:
        return distinct
    if end <= start:
        return [start]
    step = (end - start) / (count - 1)
    return [start + step * i for i in range(count)]


def lines(series: list, width: int = 640, height: int = 300, marks: list = (), title: str = "",
          date_format: str = "%m-%d") -> Markup:
    """A 0–100 line chart over time: `series` is [(css key, label, [(datetime, value), ...])],
    one line each; `marks` are [(value, label)] drawn as dashed reference lines (the pass mark).
    Dates run along the x axis; the legend sits in its own band under the axis, never on the plot."""
    points = [p for _, _, pts in series for p in pts]
    if not points:
        return Markup("")
    left, right, top = 34, 16, 12
    legend, legend_h = _legend([(f"s-{key}", label) for key, label, _ in series]
                               + [("mark", label) for _, label in marks], left, 0, width - left - right)
    bottom = height - legend_h - 34          # room for the date labels, then the legend band
    h, w = bottom - top, width - left - right
    start, end = min(t for t, _ in points), max(t for t, _ in points)
    span = (end - start).total_seconds()

    def x(t):
        return left + (w / 2 if span == 0 else w * (t - start).total_seconds() / span)

    def y(v):
        return top + h * (1 - max(0, min(100, v)) / 100)
    grid = "".join(f'<line x1="{left}" x2="{width - right}" y1="{y(g):.1f}" y2="{y(g):.1f}" class="grid"/>'
                   f'<text x="{left - 4}" y="{y(g) + 4:.1f}" text-anchor="end" class="tick">{g}</text>'
                   for g in (0, 25, 50, 75, 100))
    ticks = "".join(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{bottom}" y2="{bottom + 4}" class="grid"/>'
                    f'<text x="{x(t):.1f}" y="{bottom + 16}" text-anchor="middle" class="tick date">'
                    f'{t.strftime(date_format)}</text>' for t in _date_ticks(start, end, 6, [t for t, _ in points]))
    refs = "".join(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" class="mark">'
                   f'<title>{escape(str(label))}</title></line>' for v, label in marks)
    drawn = ""
    for key, label, pts in series:
        pts = sorted(pts)
        path = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in pts)
        drawn += f'<polyline points="{path}" class="line s-{key}"/>' if len(pts) > 1 else ""
        drawn += "".join(f'<circle cx="{x(t):.1f}" cy="{y(v):.1f}" r="3" class="dot s-{key}">'
                         f'<title>{escape(str(label))} {t.strftime("%Y-%m-%d")}: {v}</title></circle>' for t, v in pts)
    legend_svg = f'<g class="legend-band" transform="translate(0,{bottom + 26})">{legend}</g>'
    return Markup(f'<svg class="trendchart" viewBox="0 0 {width} {height}" width="100%" role="img" '
                  f'aria-label="{escape(title)}">{grid}{ticks}{refs}{drawn}{legend_svg}</svg>')


def bars(groups: dict, series: list, width: int = 560, height: int = 240, title: str = "") -> Markup:
    """Grouped bars of shares (0–1, or None for no data): `groups` is {group label: {key: share}},
    `series` [(key, label)]. The legend has its own band above the plot, so it covers no label."""
    left, right = 36, 10
    legend, legend_h = _legend([(f"b{k}", label) for k, (_, label) in enumerate(series)], left, 6,
                               width - left - right)
    top, bottom = 6 + legend_h + 16, height - 30      # 16: room for a value written above a full bar
    w, h = width - left - right, bottom - (6 + legend_h + 16)
    group = w / max(1, len(groups))
    bar = group * 0.6 / max(1, len(series))
    grid = "".join(f'<line x1="{left}" x2="{width - right}" y1="{top + h * (1 - g / 100):.1f}" '
                   f'y2="{top + h * (1 - g / 100):.1f}" class="grid"/><text x="{left - 4}" '
                   f'y="{top + h * (1 - g / 100) + 4:.1f}" text-anchor="end" class="tick">{g}%</text>'
                   for g in (0, 50, 100))
    drawn = ""
    for i, (name, values) in enumerate(groups.items()):
        x0 = left + i * group + group * 0.2
        for k, (key, label) in enumerate(series):
            value = values.get(key)
            pct = 0 if value is None else round(value * 100)
            top_y, x = top + h * (1 - pct / 100), x0 + k * bar
            shown = "—" if value is None else f"{pct}%"
            drawn += (f'<rect x="{x:.1f}" y="{top_y:.1f}" width="{bar - 2:.1f}" height="{bottom - top_y:.1f}" '
                      f'class="b{k}"><title>{escape(str(name))} · {escape(str(label))}: {shown}</title></rect>'
                      f'<text x="{x + bar / 2 - 1:.1f}" y="{top_y - 3:.1f}" text-anchor="middle" class="value">'
                      f'{shown}</text>')
        drawn += (f'<text x="{left + i * group + group / 2:.1f}" y="{height - 10}" text-anchor="middle" '
                  f'class="axis">{escape(str(name))}</text>')
    return Markup(f'<svg class="barchart" viewBox="0 0 {width} {height}" width="100%" role="img" '
                  f'aria-label="{escape(title)}">{grid}{drawn}{legend}</svg>')
