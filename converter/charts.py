"""Bar charts as inline SVG, drawn at build time: no script, no third-party library.

Each chart is a ``<figure>`` with a caption and an accessible name that reads
the numbers out, so the picture adds to the text and replaces none of it.
"""

from __future__ import annotations

from html import escape

ROW = 22
LABEL_WIDTH = 120
BAR_WIDTH = 230
VALUE_WIDTH = 40


def bar_chart(data: list[tuple[str, int]], title: str, unit: str = "") -> str:
    if not data:
        return ""
    top = max(v for _, v in data) or 1
    height = ROW * len(data) + 8
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    summary = "；".join(f"{label} {value}{unit}" for label, value in data)
    rows = []
    for i, (label, value) in enumerate(data):
        y = 4 + i * ROW
        w = max(1, round(BAR_WIDTH * value / top))
        rows.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{w}" height="{ROW - 6}" rx="2"/>'
            f'<text class="chart-value" x="{LABEL_WIDTH + w + 6}" y="{y + 15}">{value}</text>')
    return (f'<figure class="archive-chart">\n'
            f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}：{escape(summary)}" '
            f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
            f'<title>{escape(title)}</title>{"".join(rows)}</svg>\n'
            f'<figcaption>{escape(title)}</figcaption>\n</figure>')
