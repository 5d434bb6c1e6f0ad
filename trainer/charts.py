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


def line(points: list, width: int = 560, height: int = 180, label: str = "") -> Markup:
    """A line chart of (label, value 0–100) points in time order, e.g. attempt totals."""
    if not points:
        return Markup("")
    left, right, top, bottom = 34, 10, 10, 26
    w, h = width - left - right, height - top - bottom
    step = w / max(1, len(points) - 1)
    xy = [(left + i * step, top + h * (1 - v / 100)) for i, (_, v) in enumerate(points)]
    grid = "".join(f'<line x1="{left}" x2="{width - right}" y1="{top + h * (1 - g / 100):.1f}" '
                   f'y2="{top + h * (1 - g / 100):.1f}" class="grid"/><text x="{left - 4}" '
                   f'y="{top + h * (1 - g / 100) + 4:.1f}" text-anchor="end" class="tick">{g}</text>'
                   for g in (0, 50, 100))
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" class="dot"><title>{escape(str(lab))}: {v}</title></circle>'
                   for (x, y), (lab, v) in zip(xy, points))
    return Markup(f'<svg class="linechart" viewBox="0 0 {width} {height}" width="100%" role="img" '
                  f'aria-label="{escape(label)}">{grid}<polyline points="{path}" class="trend"/>{dots}</svg>')
