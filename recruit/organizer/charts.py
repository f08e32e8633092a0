"""Server-rendered SVG charts (no JavaScript, no CDN; presentation attributes only, CSP-safe)."""

from __future__ import annotations

from markupsafe import Markup, escape


def rate_bars(
    rows, *, title: str, label: str = "major", width: int = 720, bar_height: int = 22, label_width: int = 200
) -> Markup:
    """A horizontal bar per row (a major, or a class with ``label="major_class"``): match rate 0–100 %,
    with the matched/graduates count."""
    gap = 8
    top = 28
    height = top + max(len(rows), 1) * (bar_height + gap) + 24
    plot = width - label_width - 90
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for pct in (0, 25, 50, 75, 100):
        x = label_width + plot * pct / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 20}" stroke="#d5dbe3" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{top - 10}" font-size="11" text-anchor="middle" fill="#5b6575">{pct}%</text>'
        )
    for i, row in enumerate(rows):
        y = top + i * (bar_height + gap)
        rate = max(0.0, min(row.rate, 1.0))
        w = plot * rate
        color = "#d9534f" if rate < 0.3 else "#f0ad4e" if rate < 0.6 else "#3c9d5d"
        name = getattr(row, label) or "—"
        short = name if len(name) <= 14 else name[:13] + "…"
        parts.append(
            f"<g><title>{escape(name)}：{row.matched}/{row.graduates}（{rate * 100:.1f}%）</title>"
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" font-size="13" text-anchor="end" fill="#1f2933">{escape(short)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{plot:.1f}" height="{bar_height}" fill="#eef2f7"/>'
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{color}"/>'
            f'<text x="{label_width + plot + 6:.1f}" y="{y + bar_height * 0.7:.1f}" font-size="12" fill="#1f2933">'
            f"{rate * 100:.0f}% ({row.matched}/{row.graduates})</text></g>"
        )
    if not rows:
        parts.append(
            f'<text x="{width / 2}" y="{top + 14}" font-size="13" text-anchor="middle" fill="#5b6575">—</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
