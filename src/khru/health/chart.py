"""A growth chart as plain numbers for an inline SVG: the WHO SD curves and the child's points, drawn
server-side (no JavaScript, no inline style, so the page keeps its strict CSP)."""

from dataclasses import dataclass

from khru.health.curves import lms_at_month, sd_curves
from khru.health.growth import WHO2007_LAST_MONTH, Indicator, Sex

WIDTH, HEIGHT = 340, 240
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 8, 24


@dataclass(frozen=True)
class Line:
    sd: int
    points: str  # "x,y x,y …" for <polyline>
    label_y: float


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Chart:
    indicator: Indicator
    width: int
    height: int
    lines: list[Line]
    dots: list[Dot]
    path: str  # the child's points joined
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    plot_left: int
    plot_bottom: int
    plot_right: int


def growth_chart(*, indicator: Indicator, sex: Sex, points: list[tuple[float, float, str]]) -> Chart | None:
    """points: (age in months, value, title). None when no point lies within the reference (0–228 months)."""
    points = [p for p in points if 0 <= p[0] <= WHO2007_LAST_MONTH and lms_at_month(indicator, sex, p[0])]
    if not points:
        return None
    first = max(0, int(min(p[0] for p in points)) // 12 * 12 - 12)
    last = min(WHO2007_LAST_MONTH, (int(max(p[0] for p in points)) // 12 + 2) * 12)
    curves = sd_curves(indicator, sex, range(first, last + 1))
    values = [v for line in curves.values() for _, v in line] + [p[1] for p in points]
    low, high = min(values), max(values)
    pad = (high - low) * 0.05 or 1

    def x(month: float) -> float:
        return round(LEFT + (month - first) / (last - first) * (WIDTH - LEFT - RIGHT), 1)

    def y(value: float) -> float:
        span = (high + pad) - (low - pad)
        return round(TOP + (high + pad - value) / span * (HEIGHT - TOP - BOTTOM), 1)

    lines = [
        Line(sd, " ".join(f"{x(m)},{y(v)}" for m, v in line), y(line[-1][1]))
        for sd, line in curves.items()
        if line
    ]
    dots = [Dot(x(m), y(v), title) for m, v, title in sorted(points)]
    step = (high - low) / 4
    return Chart(
        indicator=indicator,
        width=WIDTH,
        height=HEIGHT,
        lines=lines,
        dots=dots,
        path=" ".join(f"{d.x},{d.y}" for d in dots),
        x_ticks=[Tick(x(m), str(m // 12)) for m in range(first, last + 1, 12)],
        y_ticks=[Tick(y(low + step * n), f"{low + step * n:.0f}") for n in range(5)],
        plot_left=LEFT,
        plot_bottom=HEIGHT - BOTTOM,
        plot_right=WIDTH - RIGHT,
    )
