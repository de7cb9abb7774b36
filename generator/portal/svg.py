"""Small SVG pictures made in Python: score badges and bar charts (no scripts, no fonts to fetch)."""
from __future__ import annotations

from html import escape

FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"


def _width(text: str) -> int:
    """Rough text width at 11px: CJK characters are about twice as wide as Latin ones."""
    return sum(12 if ord(ch) > 0x2E80 else 7 for ch in text) + 10


def badge(label: str, value: str, colour: str) -> str:
    """A shields-style badge: grey label, coloured value."""
    left, right = _width(label), _width(value)
    total = left + right
    label_e, value_e = escape(label), escape(value)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{label_e}：{value_e}">'
        f"<title>{label_e}：{value_e}</title>"
        f'<rect width="{left}" height="20" rx="3" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" rx="3" fill="{colour}"/>'
        f'<rect x="{left}" width="4" height="20" fill="{colour}"/>'
        f'<g fill="#fff" font-family="{FONT}" font-size="11" text-anchor="middle">'
        f'<text x="{left / 2}" y="14">{label_e}</text>'
        f'<text x="{left + right / 2}" y="14">{value_e}</text></g></svg>\n')


def bar_chart(title: str, bars: list[tuple[str, int]], colours: list[str] | None = None,
              highlight_from: int | None = None, width: int = 640, height: int = 260) -> str:
    """Vertical bars with their counts on top and labels underneath."""
    top, bottom, side = 36, 48, 12
    n = max(1, len(bars))
    peak = max([count for _, count in bars] + [1])
    slot = (width - 2 * side) / n
    bar_w = max(4.0, slot * 0.7)
    plot_h = height - top - bottom
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" font-family="{FONT}">',
             f"<title>{escape(title)}</title>",
             f'<text x="{width / 2}" y="20" font-size="15" text-anchor="middle" fill="#333">{escape(title)}</text>',
             f'<line x1="{side}" y1="{top + plot_h}" x2="{width - side}" y2="{top + plot_h}" stroke="#999"/>']
    label_size = 12 if slot >= 36 else 10
    for i, (label, count) in enumerate(bars):
        h = plot_h * count / peak
        x = side + i * slot + (slot - bar_w) / 2
        y = top + plot_h - h
        colour = (colours[i] if colours else
                  ("#2e7d32" if highlight_from is not None and i >= highlight_from else "#3f51b5"))
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}">'
                     f"<title>{escape(label)}：{count}</title></rect>")
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle" '
                     f'fill="#333">{count}</text>')
        cx, cy = x + bar_w / 2, top + plot_h + 14
        if len(label) > 3 and slot < 60:
            parts.append(f'<text x="{cx:.1f}" y="{cy:.1f}" font-size="{label_size}" text-anchor="end" '
                         f'transform="rotate(-40 {cx:.1f} {cy:.1f})" fill="#333">{escape(label)}</text>')
        else:
            parts.append(f'<text x="{cx:.1f}" y="{cy:.1f}" font-size="{label_size}" text-anchor="middle" '
                         f'fill="#333">{escape(label)}</text>')
    parts.append("</svg>\n")
    return "".join(parts)
