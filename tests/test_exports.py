import csv
import io

import pytest

from interactions.exports import csv_rows, neutralise


@pytest.mark.parametrize("value", ["=1+1", "+82", "-3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_plain_cells_are_kept():
    assert neutralise("김영희") == "김영희"
    assert neutralise(None) == ""
    assert neutralise(3) == "3"


def test_csv_starts_with_a_bom_so_excel_reads_korean():
    text = "".join(csv_rows(["name"], [["김영희"], ["=cmd"]]))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["name"], ["김영희"], ["'=cmd"]]
