from khru.core.suppression import HIDDEN, show, suppress, suppress_counts


def test_small_cells_are_hidden_and_cannot_be_recovered_from_totals():
    table = suppress([[3, 20, 30], [12, 40, 8]])
    assert table.cells[0][0] is None
    # Row 0 and column 0 each had a lone hidden cell: a second one is hidden in each.
    for line in (table.cells[0], [row[0] for row in table.cells]):
        assert sum(value is None for value in line) >= 2
    assert table.row_totals == [53, 60]
    assert table.total == 113


def test_a_table_with_nothing_small_is_unchanged():
    table = suppress([[10, 20], [30, 0]])
    assert table.cells == [[10, 20], [30, 0]]


def test_a_single_column_hides_a_second_count_beside_a_lone_small_one():
    shown = suppress_counts({"thin": 2, "normal": 40, "obese": 9})
    assert shown == {"thin": None, "normal": 40, "obese": None}
    assert show(shown["thin"]) == HIDDEN == "<5"


def test_small_totals_are_hidden():
    table = suppress([[1, 2]])
    assert table.total is None and table.row_totals == [None]
