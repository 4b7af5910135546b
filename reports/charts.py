"""Profile against actual: cumulative spend by quarter as a reportlab line chart."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.legends import LineLegend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker

from reports import styles
from reports.model import ChartPoint


def _axis_money(value: float) -> str:
    if abs(value) >= 1000:
        thousands = value / 1000
        return f"£{thousands:,.0f}k" if thousands == int(thousands) else f"£{thousands:,.1f}k"
    return f"£{value:,.0f}"


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^n at least ``value``."""
    if value <= 0:
        return 250.0
    if value < 1:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        ceiling = step * magnitude
        if ceiling >= value:
            return float(ceiling)
    return float(10 * magnitude)  # pragma: no cover - the loop always returns


def profile_chart(points: Sequence[ChartPoint], width: float, height: float = 150) -> Drawing:
    """Cumulative profile (whole period) and actual spend (to the as-at date), one point per quarter."""
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 48, 34
    plot.width, plot.height = width - 48 - 150, height - 34 - 12
    profile = [(i + 1, float(p.profile)) for i, p in enumerate(points)]
    actual = [(i + 1, float(p.actual)) for i, p in enumerate(points) if p.actual is not None]
    series = [profile, actual or [(1, 0.0)]]
    plot.data = series
    top = max([v for _, v in profile] + [v for _, v in actual] + [0.0])
    plot.yValueAxis.valueMin = 0
    step = _nice_ceiling(top * 1.05 / 4)
    plot.yValueAxis.valueMax = step * 4
    plot.yValueAxis.valueStep = step
    plot.yValueAxis.labelTextFormat = _axis_money
    plot.yValueAxis.labels.fontName = styles.FONT
    plot.yValueAxis.labels.fontSize = styles.SMALL_SIZE
    plot.yValueAxis.visibleGrid = 1
    plot.yValueAxis.gridStrokeColor = styles.CHART_GRID
    plot.xValueAxis.valueMin = 0.5
    plot.xValueAxis.valueMax = len(points) + 0.5
    plot.xValueAxis.valueSteps = [float(i + 1) for i in range(len(points))]
    labels = [p.label for p in points]
    plot.xValueAxis.labelTextFormat = lambda v: labels[round(v) - 1] if 1 <= round(v) <= len(labels) else ""
    plot.xValueAxis.labels.fontName = styles.FONT
    plot.xValueAxis.labels.fontSize = styles.SMALL_SIZE
    for index, colour in enumerate((styles.CHART_PROFILE, styles.CHART_ACTUAL)):
        plot.lines[index].strokeColor = colour
        plot.lines[index].strokeWidth = 1.5
        plot.lines[index].symbol = makeMarker("FilledCircle", size=3.5, fillColor=colour, strokeColor=colour)
    if not actual:
        plot.lines[1].strokeWidth = 0
        plot.lines[1].symbol = None
    drawing.add(plot)
    legend = LineLegend()
    legend.x, legend.y = width - 140, height - 30
    legend.fontName = styles.FONT
    legend.fontSize = styles.SMALL_SIZE
    legend.alignment = "right"
    legend.colorNamePairs = [
        (styles.CHART_PROFILE, "Profile (cumulative)"),
        (styles.CHART_ACTUAL, "Actual (cumulative)"),
    ]
    drawing.add(legend)
    if not any(p.profile for p in points):
        drawing.add(
            String(
                plot.x + 6,
                plot.y + plot.height - 12,
                "No spend profile recorded",
                fontName=styles.FONT_ITALIC,
                fontSize=styles.SMALL_SIZE,
                fillColor=styles.MUTED,
            )
        )
    return drawing
