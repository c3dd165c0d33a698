"""Small-cell suppression for every aggregate that leaves a school (area, agency, ministry, public).

A count from 1 to MIN_CELL − 1 is shown as "<5" (primary suppression). Because the totals of each row
and column are shown, a row or column with exactly one hidden cell would give it away by subtraction,
so the smallest other cell in that line is hidden too (secondary suppression), repeated until no line
has a lone hidden cell. Zeros are not sensitive and stay shown unless needed as a secondary cell.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

MIN_CELL = 5
HIDDEN = f"<{MIN_CELL}"

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Suppressed:
    """A table after suppression: None marks a hidden value."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


def _small(value: int, min_cell: int) -> bool:
    return 0 < value < min_cell


def _hide_lone_cells(
    counts: Sequence[Sequence[int]], hidden: list[list[bool]], lines: list[list[tuple[int, int]]]
) -> bool:
    changed = False
    for line in lines:
        hidden_in_line = [cell for cell in line if hidden[cell[0]][cell[1]]]
        shown = [cell for cell in line if not hidden[cell[0]][cell[1]]]
        if len(hidden_in_line) == 1 and shown:
            # Prefer the smallest non-zero cell: hiding a zero protects little.
            r, c = min(shown, key=lambda cell: (counts[cell[0]][cell[1]] == 0, counts[cell[0]][cell[1]]))
            hidden[r][c] = True
            changed = True
    return changed


def suppress(counts: Sequence[Sequence[int]], *, min_cell: int = MIN_CELL) -> Suppressed:
    """Suppress a rows × columns table of counts, with its row, column and grand totals."""
    n_rows = len(counts)
    n_cols = len(counts[0]) if n_rows else 0
    hidden = [[_small(value, min_cell) for value in row] for row in counts]
    row_totals = [sum(row) for row in counts]
    column_totals = [sum(counts[r][c] for r in range(n_rows)) for c in range(n_cols)]
    # A line whose own total is hidden cannot give a cell away; only lines with a shown total count.
    lines = [[(r, c) for c in range(n_cols)] for r in range(n_rows) if not _small(row_totals[r], min_cell)]
    lines += [
        [(r, c) for r in range(n_rows)] for c in range(n_cols) if not _small(column_totals[c], min_cell)
    ]
    while _hide_lone_cells(counts, hidden, lines):
        pass
    total = sum(row_totals)
    return Suppressed(
        cells=[[None if hidden[r][c] else counts[r][c] for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[None if _small(t, min_cell) else t for t in row_totals],
        column_totals=[None if _small(t, min_cell) else t for t in column_totals],
        total=None if _small(total, min_cell) else total,
    )


def suppress_counts(counts: Mapping[K, int], *, min_cell: int = MIN_CELL) -> dict[K, int | None]:
    """One column of counts with its total shown (e.g. children per band): the same rules."""
    keys = list(counts)
    table = suppress([[counts[key]] for key in keys], min_cell=min_cell)
    return {key: table.cells[i][0] for i, key in enumerate(keys)}


def show(value: int | None) -> str:
    """How a count appears on a page or in an export."""
    return HIDDEN if value is None else str(value)
