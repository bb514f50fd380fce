"""Server-rendered SVG charts of the dashboard: no script, a <title> and <desc> for screen
readers, and the table with the same figures always beside them. Colours come from CSS classes
(static/css/monitoring.css), never inline styles (strict CSP)."""

from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

_ids = count(1)

BAR_HEIGHT = 22
LABEL_WIDTH = 260
PLOT_WIDTH = 380


def _f(value: float) -> str:
    return f"{value:.1f}"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def bars(
    title: str,
    items: list[tuple[str, float | None]],
    *,
    unit: str = "%",
    top=None,
    low: float | None = None,
) -> str:
    """Horizontal bars, one per (label, value); ``top`` is the full scale (100 for rates);
    bars under ``low`` are marked (class ``is-low``)."""
    if not items:
        return ""
    n = next(_ids)
    top = top or max([v for _l, v in items if v is not None] or [1]) or 1
    height = BAR_HEIGHT * len(items) + 10
    width = LABEL_WIDTH + PLOT_WIDTH + 60
    rows = []
    for i, (label, value) in enumerate(items):
        y = 5 + i * BAR_HEIGHT
        w = 0 if value is None else max(1.0, PLOT_WIDTH * min(value, top) / top)
        short = label if len(label) <= 40 else label[:39] + "…"
        rows.append(
            format_html(
                "<g><title>{}: {}{}</title>"
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect class="chart-bar{}" x="{}" y="{}" width="{}" height="{}"></rect>'
                '<text class="chart-value" x="{}" y="{}">{}{}</text></g>',
                label,
                _number(value),
                unit,
                LABEL_WIDTH - 6,
                y + 15,
                short,
                " is-low" if value is not None and low is not None and value < low else "",
                LABEL_WIDTH,
                y + 3,
                _f(w),
                BAR_HEIGHT - 6,
                _f(LABEL_WIDTH + w + 4),
                y + 15,
                _number(value),
                unit,
            )
        )
    return format_html(
        '<svg class="chart" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="chart-{}-t"><title id="chart-{}-t">{}</title>{}</svg>',
        width,
        height,
        width,
        height,
        n,
        n,
        title,
        SafeString("".join(rows)),  # each row built with format_html above
    )


def columns(title: str, labels: list[str], series: list[tuple[str, str, list[int]]]) -> str:
    """Grouped columns per label (months); ``series`` is (css class, name, values)."""
    if not labels:
        return ""
    n = next(_ids)
    top = max([v for _c, _n, values in series for v in values] or [1]) or 1
    group = max(24 * len(series) + 20, 72)
    plot_height, pad = 160, 18
    width = max(group * len(labels) + 40, 300)
    height = pad + plot_height + 48
    parts = []
    for i, label in enumerate(labels):
        x0 = 30 + i * group
        for j, (css, name, values) in enumerate(series):
            value = values[i]
            h = plot_height * value / top
            parts.append(
                format_html(
                    '<g><title>{} · {}: {}</title><rect class="chart-col {}" x="{}" y="{}" '
                    'width="20" height="{}"></rect><text class="chart-value" x="{}" y="{}" '
                    'text-anchor="middle">{}</text></g>',
                    label,
                    name,
                    value,
                    css,
                    x0 + j * 24,
                    _f(pad + plot_height - h),
                    _f(h),
                    x0 + j * 24 + 10,
                    _f(pad - 4 + plot_height - h),
                    value,
                )
            )
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                x0 + 12 * len(series),
                pad + plot_height + 16,
                label,
            )
        )
    legend = format_html_join(
        "",
        '<rect class="chart-col {}" x="{}" y="{}" width="12" height="12"></rect>'
        '<text class="chart-label" x="{}" y="{}">{}</text>',
        (
            (css, 30 + k * 150, pad + plot_height + 28, 46 + k * 150, pad + plot_height + 39, name)
            for k, (css, name, _v) in enumerate(series)
        ),
    )
    return format_html(
        '<svg class="chart" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="chart-{}-t"><title id="chart-{}-t">{}</title>{}{}</svg>',
        width,
        height,
        width,
        height,
        n,
        n,
        title,
        SafeString("".join(parts)),
        legend,
    )
