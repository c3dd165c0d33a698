"""A figure is a small table of numbers; its chart is declared once as a Vega-Lite spec (Altair) and drawn
to SVG on the server (vl-convert), so the page needs no script and the same SVG goes into a PDF. The numbers
behind every chart can be downloaded as CSV.
"""

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import vl_convert

WIDTH = 320  # fits a 360-px phone with the page's margins
_CACHE: OrderedDict[str, str] = OrderedDict()
_CACHE_SIZE = 256
_LOCK = threading.Lock()


@dataclass
class Figure:
    """The numbers behind one chart: named columns and rows, and how to draw them."""

    name: str
    title: str
    columns: list[str]  # keys of each row, in CSV order
    rows: list[dict[str, Any]]
    mark: str = "bar"  # bar | line | rect (a heat map)
    x: str = ""
    y: str = ""
    color: str = ""
    x_type: str = "N"
    y_type: str = "Q"
    sort_x: list[Any] | None = None
    sort_y: list[Any] | None = None
    zero: bool = True  # start the value axis at 0 (False for rates that live near 95 %)
    colors: dict[str, str] | None = None  # fixed colour per category (e.g. present grey, absent red)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.rows


def spec(figure: Figure) -> dict[str, Any]:
    """The Vega-Lite spec of the figure (the same for the page and the PDF)."""
    data = alt.Data(values=[{k: v for k, v in row.items() if v is not None} for row in figure.rows])
    chart = alt.Chart(data, width=WIDTH, height=180 if figure.mark != "rect" else 120)
    short_labels = all(len(str(row.get(figure.x, ""))) <= 4 for row in figure.rows)
    x = alt.X(
        f"{figure.x}:{figure.x_type}",
        title=None,
        sort=figure.sort_x,
        axis=alt.Axis(labelAngle=0) if short_labels else alt.Axis(),
    )
    y = alt.Y(f"{figure.y}:{figure.y_type}", title=None, scale=alt.Scale(zero=figure.zero))
    color_scale = (
        alt.Scale(domain=list(figure.colors), range=list(figure.colors.values()))
        if figure.colors
        else alt.Scale()
    )
    encoding: dict[str, Any] = {"x": x, "y": y}
    if figure.mark == "rect":
        encoding["y"] = alt.Y(f"{figure.y}:O", title=None, sort=figure.sort_y)
        encoding["color"] = alt.Color(
            f"{figure.color}:N", title=None, scale=color_scale, legend=alt.Legend(orient="bottom")
        )
        chart = chart.mark_rect()
    else:
        if figure.color:
            encoding["color"] = alt.Color(
                f"{figure.color}:N", title=None, scale=color_scale, legend=alt.Legend(orient="bottom")
            )
        chart = chart.mark_line(point=True) if figure.mark == "line" else chart.mark_bar()
    result: dict[str, Any] = (
        chart.encode(**encoding).configure(font="Sarabun, sans-serif").configure_view(stroke=None).to_dict()
    )
    return result


def svg(figure: Figure) -> str:
    """The chart as SVG, cached by the hash of its spec: a figure whose numbers did not change is not redrawn."""
    text = json.dumps(spec(figure), sort_keys=True, default=str)
    key = hashlib.sha256(text.encode()).hexdigest()
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    drawn: str = vl_convert.vegalite_to_svg(json.loads(text))
    with _LOCK:
        _CACHE[key] = drawn
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return drawn


def csv_rows(figure: Figure) -> Iterator[list[Any]]:
    """The figure's numbers as CSV rows, header first."""
    yield list(figure.columns)
    for row in figure.rows:
        yield ["" if row.get(k) is None else row.get(k) for k in figure.columns]
