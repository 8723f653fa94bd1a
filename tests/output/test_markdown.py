"""Markdown table cells (routecli.output.markdown): code spans kept, the rest escaped."""

from routecli.output.markdown import cell, code, table


def test_cell_keeps_code_spans_and_escapes_the_rest():
    assert cell("dup of `/a/<int:id>` (line 1)") == "dup of `/a/<int:id>` (line 1)"
    assert cell("a <b> | c") == "a &lt;b&gt; \\| c"
    assert cell("`a|b` and <x>") == "`a\\|b` and &lt;x&gt;"
    assert cell("odd ` tick <x>") == "odd \\` tick &lt;x&gt;"
    assert cell("two\nlines") == "two\\\\x0alines"  # renders as two\\x0alines: one line


def test_code_and_table():
    assert code("GET /a`b") == "`GET /ab`"
    assert code("") == ""
    assert table(["Count", "Name"], [["1", "a"]], right=["Count"]) == [
        "| Count | Name |", "|---:|---|", "| 1 | a |"]
