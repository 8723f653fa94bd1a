"""Tables that fit a terminal without splitting a token (docs/list.md#columns)."""

import os
import re

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from routecli.cli.app import cli
from routecli.output.layout import fit_table, fit_widths, min_width, pieces, wrap_cell

RULES = st.lists(st.sampled_from(["users", "<id>", "<int:n>", "received_events", "a", "x_y"]),
                 min_size=1, max_size=6).map(lambda parts: "/" + "/".join(parts))
NAMES = st.from_regex(r"[a-z]{1,9}([._][a-z]{1,9}){0,5}", fullmatch=True)
SOURCES = st.from_regex(r"([a-z_-]{1,12}/){0,3}[a-z-]{1,12}\.yaml:[0-9]{1,4}", fullmatch=True)


def test_pieces_are_cut_where_each_kind_may_break():
    assert pieces("/users/<user>/received_events", "rule") == [
        "/users", "/<user>", "/received_events"]
    assert pieces("users_user.events", "name") == ["users_", "user.", "events"]
    assert pieces("sample_routes/github-api.yaml:12", "path") == [
        "sample_routes/", "github-api.yaml", ":12"]
    assert pieces("DELETE, GET", "list") == ["DELETE, ", "GET"]


def test_a_rule_wraps_before_its_slashes():
    assert wrap_cell("/users/<user>/received_events/public", 16, "rule").split("\n") == [
        "/users/<user>", "/received_events", "/public"]


def test_a_piece_wider_than_its_column_is_folded():
    assert wrap_cell("/received_events", 8, "rule").split("\n") == ["/receive", "d_events"]


@given(st.data(), st.sampled_from([("rule", RULES), ("name", NAMES), ("path", SOURCES)]))
def test_wrapping_keeps_the_text_and_splits_no_piece_that_fits(data, kind_and_texts):
    kind, texts = kind_and_texts
    text = data.draw(texts)
    width = data.draw(st.integers(1, 40))
    lines = wrap_cell(text, width, kind).split("\n")
    assert "".join(lines) == text.replace(" ", "") or "".join(lines) == text
    assert all(len(line) <= width for line in lines)
    if width >= min_width(text, kind):
        whole = pieces(text, kind)
        for line in lines:  # every line is a run of whole pieces (trailing space dropped)
            taken = 0
            while "".join(whole[:taken + 1]).rstrip() != line:
                taken += 1
                assert taken < len(whole), (line, whole)
            del whole[:taken + 1]
        assert not whole


@given(natural=st.lists(st.integers(1, 80), min_size=1, max_size=6), available=st.integers(6, 200))
def test_widths_fit_and_never_grow(natural, available):
    minimum = [max(1, n // 3) for n in natural]
    widths = fit_widths(natural, minimum, available)
    assert all(1 <= w <= n for w, n in zip(widths, natural))
    if sum(min(6, n) for n in natural) <= available:
        assert sum(widths) <= available
    if sum(minimum) <= available:  # room for every unbreakable piece: none is cut
        assert all(w >= m for w, m in zip(widths, minimum))


def test_the_widest_column_gives_way_first():
    assert fit_widths([50, 10, 20], [5, 5, 5], 60) == [30, 10, 20]


def test_fit_table_wraps_every_cell_within_its_width():
    rows = [["applications_client_id_tokens_delete", "DELETE, GET",
             "/applications/<client_id>/tokens/<access_token>", "sample_routes/github-api.yaml:15"]]
    widths, cells = fit_table(["Endpoint", "Methods", "Rule", "Source"], rows,
                              ["name", "list", "rule", "path"], 60)
    assert sum(widths) <= 60
    for width, cell in zip(widths, cells[0]):
        assert all(len(line) <= width for line in cell.split("\n"))
    assert cells[0][2].split("\n")[0].startswith("/applications")


def test_list_on_a_narrow_terminal_splits_no_token():
    github = os.path.join(os.path.dirname(__file__), "..", "..", "sample_routes", "github-api.yaml")
    result = CliRunner().invoke(cli, ["--color", "always", "-r", github, "list"],
                                env={"COLUMNS": "90", "NO_COLOR": "1"})
    assert result.exit_code == 0
    text = re.sub(r"\x1b\[[0-9;]*m", "", result.output)
    rule_lines = [line.split("│")[2].strip() for line in text.splitlines() if line.count("│") == 3]
    # every non-empty piece of a wrapped rule starts at a '/' (nothing cut mid-segment)
    assert rule_lines and all(line.startswith("/") for line in rule_lines if line)
    assert all(len(line) <= 90 for line in text.splitlines())


def test_titles_are_never_cut_when_their_columns_fit():
    rows = [["93", "0", "31.1%", "get_blog_post", "GET", "/blog/posts/<post_id>",
             "sample_routes/blog.yaml:19"],
            ["7", "0", "2.3%", "post_or_put", "DELETE, POST, PUT", "/endpoint",
             "sample_routes/blog.yaml:40"]]
    titles = ["Hits", "Redirects", "Share", "Endpoint", "Methods", "Rule", "Source"]
    widths, _ = fit_table(titles, rows, ["text", "text", "text", "name", "list", "rule", "path"],
                          62)
    assert sum(widths) <= 62
    assert all(w >= len(t) for w, t in zip(widths, titles))


def test_names_break_after_a_hyphen_too():
    """Rule names (`order-dependent-tie`) and kebab-case endpoints wrap at their hyphens,
    as snake_case ones do at '_', never mid-word."""
    from routecli.output.layout import wrap_cell

    assert wrap_cell("order-dependent-tie", 16, "name") == "order-dependent-\ntie"
    assert wrap_cell("django-append-slash-refused", 14, "name") == \
        "django-append-\nslash-refused"
