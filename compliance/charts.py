"""The dashboard's charts as geometry for a server-rendered SVG: no JavaScript, no inline style.

Each chart is a list of shapes with coordinates computed here; the templates
(`templates/compliance/dashboard_chart_*.html`) only write them out as SVG presentation
attributes and CSS classes (static/css/dashboard.css colours them), next to a data table that
is the chart's text alternative.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from compliance.dashboard import STATUS_LABELS, STATUS_ORDER, MonthCount, StateStatus

LABEL_WIDTH = 170  # room for a state's name left of its bar
BAR_AREA = 420
BAR_HEIGHT = 18
BAR_GAP = 8
TOP = 6
LEGEND_HEIGHT = 28
MAX_STATES = 15  # the states with most facilities; the table below lists them all


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    status: str
    count: int
    label: str  # for the segment's <title> tooltip


@dataclass(frozen=True)
class StackedBar:
    label: str
    y: float
    text_y: float
    total: int
    total_x: float
    segments: list[Segment]


@dataclass(frozen=True)
class LegendEntry:
    x: float
    text_x: float
    status: str
    label: str


@dataclass(frozen=True)
class StatusChart:
    width: int
    height: int
    bar_height: int
    label_width: int
    bars: list[StackedBar]
    legend: list[LegendEntry]
    legend_y: float
    legend_text_y: float
    states: list[StateStatus]  # every state, for the text alternative
    truncated: bool


def status_by_state_chart(states: Sequence[StateStatus]) -> StatusChart:
    """Horizontal stacked bars, one per state, scaled to the largest state."""
    shown = list(states[:MAX_STATES])
    largest = max((s.total for s in shown), default=0) or 1
    bars = []
    for index, state in enumerate(shown):
        y = TOP + index * (BAR_HEIGHT + BAR_GAP)
        x = float(LABEL_WIDTH)
        segments = []
        for status in STATUS_ORDER:
            count = state.counts.get(status, 0)
            if not count:
                continue
            width = BAR_AREA * count / largest
            label = f"{state.name}: {count} {STATUS_LABELS[status]}"
            segments.append(Segment(round(x, 2), round(width, 2), status, count, label))
            x += width
        bars.append(
            StackedBar(
                label=state.name,
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                total=state.total,
                total_x=round(x + 6, 2),
                segments=segments,
            )
        )
    legend_y = TOP + len(shown) * (BAR_HEIGHT + BAR_GAP) + 6
    legend = [
        LegendEntry(
            x=LABEL_WIDTH + index * 120,
            text_x=LABEL_WIDTH + index * 120 + 16,
            status=status,
            label=str(STATUS_LABELS[status]),
        )
        for index, status in enumerate(STATUS_ORDER)
    ]
    return StatusChart(
        width=LABEL_WIDTH + BAR_AREA + 50,
        height=int(legend_y + LEGEND_HEIGHT),
        bar_height=BAR_HEIGHT,
        label_width=LABEL_WIDTH - 8,
        bars=bars,
        legend=legend,
        legend_y=legend_y,
        legend_text_y=legend_y + 11,
        states=list(states),
        truncated=len(states) > len(shown),
    )


MONTH_WIDTH = 48
MONTH_GAP = 10
MONTH_AREA = 150  # the tallest bar's height
MONTH_LEFT = 10
MONTH_TOP = 20  # room for the count above the tallest bar


@dataclass(frozen=True)
class MonthBar:
    month: datetime.date
    count: int
    x: float
    y: float
    height: float
    center: float
    value_y: float  # the count, above the bar


@dataclass(frozen=True)
class MonthChart:
    width: int
    height: int
    bar_width: int
    baseline: int
    label_y: int
    year_y: int
    bars: list[MonthBar]
    total: int


def deadlines_by_month_chart(months: Sequence[MonthCount]) -> MonthChart:
    """Vertical bars, one per month, scaled to the busiest month."""
    largest = max((m.count for m in months), default=0) or 1
    baseline = MONTH_TOP + MONTH_AREA
    bars = []
    for index, month in enumerate(months):
        height = round(MONTH_AREA * month.count / largest, 2)
        x = MONTH_LEFT + index * (MONTH_WIDTH + MONTH_GAP)
        bars.append(
            MonthBar(
                month=month.month,
                count=month.count,
                x=x,
                y=round(baseline - height, 2),
                height=height,
                center=x + MONTH_WIDTH / 2,
                value_y=round(baseline - height - 4, 2),
            )
        )
    return MonthChart(
        width=MONTH_LEFT * 2 + len(months) * (MONTH_WIDTH + MONTH_GAP),
        height=baseline + 40,
        bar_width=MONTH_WIDTH,
        baseline=baseline,
        label_y=baseline + 16,
        year_y=baseline + 30,
        bars=bars,
        total=sum(m.count for m in months),
    )
