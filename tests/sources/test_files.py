"""Route files (sources/route_file.py and the YAML/TOML/JSON readers): data, lines, every error."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from routecli.errors import RouteError
from routecli.sources import route_file, yaml_file
from routecli.sources.route_file import read_document


def write(tmp_path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, str):
        content = textwrap.dedent(content).lstrip("\n").encode("utf-8")
    path.write_bytes(content)
    return str(path)


def error(path: str) -> RouteError:
    with pytest.raises(RouteError) as info:
        read_document(path)
    return info.value


# ----------------------------------------------------------------------------------- YAML

BLOG_YAML = """
    # a comment
    settings:
      strict_slashes: false
    converters:
      slug: {regex: "[a-z]+", weight: 90}
    routes:
      - rule: /
        endpoint: index
      - rule: /blog/<int:id>
        endpoint: post
        methods:
          - GET
          - POST
        defaults:
          page: 1
"""


def test_yaml_data_and_lines(tmp_path):
    doc = read_document(write(tmp_path, "r.yaml", BLOG_YAML))
    assert doc.data == {
        "settings": {"strict_slashes": False},
        "converters": {"slug": {"regex": "[a-z]+", "weight": 90}},
        "routes": [
            {"rule": "/", "endpoint": "index"},
            {
                "rule": "/blog/<int:id>",
                "endpoint": "post",
                "methods": ["GET", "POST"],
                "defaults": {"page": 1},
            },
        ],
    }
    assert doc.format == "yaml"
    assert doc.line_of(("settings", "strict_slashes")) == 3
    assert doc.line_of(("converters", "slug")) == 5
    assert doc.line_of(("converters", "slug", "weight")) == 5
    assert doc.line_of(("routes",)) == 6
    assert doc.line_of(("routes", 0)) == 7
    assert doc.line_of(("routes", 1)) == 9
    assert doc.line_of(("routes", 1, "endpoint")) == 10
    assert doc.line_of(("routes", 1, "methods")) == 11
    assert doc.line_of(("routes", 1, "methods", 1)) == 13
    assert doc.line_of(("routes", 1, "defaults", "page")) == 15


def test_line_of_falls_back_to_the_nearest_enclosing_value(tmp_path):
    doc = read_document(write(tmp_path, "r.yaml", BLOG_YAML))
    assert doc.line_of(("routes", 1, "no_such_key")) == 9
    assert doc.line_of(("routes", 7, "methods")) == 6
    assert doc.line_of(["routes", 0]) == 7  # any sequence of keys works
    assert doc.line_of(("nothing",)) is None


def test_document_keeps_the_path_as_given(tmp_path, monkeypatch):
    write(tmp_path, "r.yaml", BLOG_YAML)
    monkeypatch.chdir(tmp_path)
    assert read_document("r.yaml").path == "r.yaml"
    assert read_document("./r.yaml").path == "./r.yaml"


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    path = write(tmp_path, "bad.yaml", "routes:\n  - rule: /\n    endpoint: x\n   bad: [1\n")
    err = error(path)
    assert err.source.startswith(f"{path}:")
    assert err.message.startswith("invalid YAML: ")
    assert "\n" not in str(err)


def test_yaml_mapping_values_error_line(tmp_path):
    path = write(tmp_path, "bad.yaml", "routes:\n  - rule: /\n    endpoint: x: y\n")
    err = error(path)
    assert err.source == f"{path}:3"
    assert "mapping values are not allowed" in err.message
    assert "column" in err.message


def test_yaml_tab_indentation_error(tmp_path):
    path = write(tmp_path, "tab.yaml", b"routes:\n\t- rule: /\n")
    err = error(path)
    assert err.source == f"{path}:2"
    assert err.message.startswith("invalid YAML:")


def test_yaml_duplicate_key_is_an_error_at_the_duplicate(tmp_path):
    path = write(
        tmp_path,
        "dup.yaml",
        """
        routes:
          - rule: /a
            endpoint: a
            rule: /b
        """,
    )
    err = error(path)
    assert err.source == f"{path}:4"
    assert err.message == "duplicate key 'rule' (first defined at line 2)"


def test_yaml_duplicate_top_level_key(tmp_path):
    path = write(tmp_path, "dup.yaml", "routes: []\nsettings: {}\nroutes: []\n")
    err = error(path)
    assert err.source == f"{path}:3"
    assert "duplicate key 'routes'" in err.message


def test_yaml_second_document_is_an_error(tmp_path):
    path = write(tmp_path, "two.yaml", "routes: []\n---\nroutes: []\n")
    err = error(path)
    assert err.source == f"{path}:3"
    assert "one YAML document" in err.message


@pytest.mark.parametrize(
    "value, shown",
    [
        ("!!python/object:os.system x", "!!python/object:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!custom 1", "!custom"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
        ("!thing [1, 2]", "!thing"),
    ],
)
def test_yaml_tags_are_never_constructed(tmp_path, value, shown):
    path = write(tmp_path, "tag.yaml", f"routes:\n  - rule: /\n    endpoint: {value}\n")
    err = error(path)
    assert err.source == f"{path}:3"
    assert err.message == f"unsupported YAML tag {shown!r}: route files hold plain data only"


def test_yaml_standard_scalar_tags_are_fine(tmp_path):
    path = write(tmp_path, "t.yaml", "a: !!str 123\nb: !!int '7'\nc: !!float 1\nd: !!bool yes\n")
    assert read_document(path).data == {"a": "123", "b": 7, "c": 1.0, "d": True}


def test_yaml_bad_explicit_scalar(tmp_path):
    path = write(tmp_path, "t.yaml", "routes: []\nx: !!int abc\n")
    err = error(path)
    assert err.source == f"{path}:2"
    assert err.message == "invalid !!int value 'abc'"


def test_yaml_keeps_pyyaml_safe_resolution(tmp_path):
    path = write(
        tmp_path, "t.yaml", "a: on\nb: no\nc: ~\nd: 0x10\ne: 1.5\nf: 2001-12-14\ng: '0x10'\n"
    )
    assert read_document(path).data == {
        "a": True,
        "b": False,
        "c": None,
        "d": 16,
        "e": 1.5,
        "f": "2001-12-14",  # timestamps stay as written
        "g": "0x10",
    }


def test_yaml_anchors_aliases_and_merge_keys(tmp_path):
    path = write(
        tmp_path,
        "a.yaml",
        """
        common: &common
          methods: [GET, POST]
          strict_slashes: false
        routes:
          - <<: *common
            rule: /a
            endpoint: a
          - <<: *common
            rule: /b
            endpoint: b
            strict_slashes: true
          - rule: /c
            endpoint: c
            methods: [PUT]
        """,
    )
    doc = read_document(path)
    routes = doc.data["routes"]
    assert routes[0] == {
        "rule": "/a",
        "endpoint": "a",
        "methods": ["GET", "POST"],
        "strict_slashes": False,
    }
    assert routes[1]["strict_slashes"] is True  # explicit keys win over merged ones
    assert routes[1]["methods"] == ["GET", "POST"]
    assert doc.line_of(("routes", 0, "methods")) == 5  # the "<<" line
    assert doc.line_of(("routes", 1, "strict_slashes")) == 11


def test_yaml_merge_list_earlier_wins(tmp_path):
    path = write(tmp_path, "m.yaml", "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n")
    assert read_document(path).data["c"] == {"x": 1, "y": 2}


def test_yaml_merge_of_a_scalar_is_an_error(tmp_path):
    path = write(tmp_path, "m.yaml", "a: 1\nc:\n  <<: 5\n")
    err = error(path)
    assert err.source == f"{path}:3"
    assert "'<<' merges a mapping" in err.message


def test_yaml_alias_values_are_shared_not_blown_up(tmp_path):
    # Aliases share the value they name: building stays linear in the text.
    lines = ["a0: &a0 [x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 10)]
    lines.append("routes: []")
    doc = read_document(write(tmp_path, "shared.yaml", "\n".join(lines) + "\n"))
    assert doc.data["a9"][0] is doc.data["a8"]


def test_yaml_billion_laughs_is_refused_at_the_alias(tmp_path):
    # Each level doubles: 2**40 values once expanded, which validation, the cache or the
    # JSON output would pay for; refused while building, at the line of the alias.
    lines = ["a0: &a0 [x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 40)]
    lines.append("routes: []")
    path = write(tmp_path, "laughs.yaml", "\n".join(lines) + "\n")
    err = error(path)
    assert err.source == f"{path}:17"  # the first alias to push the total past the limit
    assert "YAML aliases expand the data of this file beyond" in err.message


def test_yaml_recursive_alias_is_an_error(tmp_path):
    path = write(tmp_path, "rec.yaml", "routes: []\nx: &x [1, *x]\n")
    err = error(path)
    assert err.source == f"{path}:2"
    assert "recursive YAML alias" in err.message


def test_yaml_undefined_alias(tmp_path):
    path = write(tmp_path, "alias.yaml", "routes:\n  - *nope\n")
    err = error(path)
    assert err.source == f"{path}:2"
    assert "undefined alias" in err.message


def test_yaml_complex_key_is_an_error(tmp_path):
    path = write(tmp_path, "k.yaml", "routes: []\n? [a, b]\n: 1\n")
    err = error(path)
    assert err.source == f"{path}:2"
    assert err.message == "a mapping key must be a plain value, not a list"


def test_yaml_control_character(tmp_path):
    path = write(tmp_path, "c.yaml", b"routes: []\nx: \x07\n")
    err = error(path)
    assert err.message.startswith("invalid YAML:")
    assert err.source == f"{path}:2"


def test_yaml_nesting_too_deep(tmp_path):
    path = write(tmp_path, "deep.yaml", "routes: " + "[" * 5000 + "]" * 5000 + "\n")
    err = error(path)
    assert err.source.startswith(path)
    assert "nest" in err.message


def test_yaml_bom_is_accepted(tmp_path):
    path = write(tmp_path, "bom.yaml", b"\xef\xbb\xbfroutes:\n  - rule: /\n    endpoint: i\n")
    doc = read_document(path)
    assert doc.data == {"routes": [{"rule": "/", "endpoint": "i"}]}
    assert doc.line_of(("routes", 0)) == 2


@pytest.mark.parametrize("ext", ["yaml", "yml", "YAML", "Yml"])
def test_yaml_extensions_case_insensitive(tmp_path, ext):
    doc = read_document(write(tmp_path, f"r.{ext}", "routes: []\n"))
    assert doc.format == "yaml"
    assert doc.data == {"routes": []}


# ----------------------------------------------------------------------------------- TOML

BLOG_TOML = '''
    # [[routes]] in a comment does not count
    title = """
    [[routes]]
    rule = "not a route"
    """
    note = \'\'\'
    [[routes]] \'\'\'
    [settings]
    strict_slashes = false  # trailing comment

    [converters.slug]
    regex = '[a-z]+'

    [[routes]]
    rule = "/"
    endpoint = "index"
    methods = [
      "GET",
      "POST",
    ]

    [routes.defaults]
    page = 1

    [[routes]]
    "rule" = "/a\\"]]"
    endpoint = 'b = [[routes]]'
    redirect_to = "/x # not a comment"
    websocket = false
'''


def test_toml_data_and_lines(tmp_path):
    doc = read_document(write(tmp_path, "r.toml", BLOG_TOML))
    assert doc.format == "toml"
    assert doc.data["routes"] == [
        {"rule": "/", "endpoint": "index", "methods": ["GET", "POST"], "defaults": {"page": 1}},
        {
            "rule": '/a"]]',
            "endpoint": "b = [[routes]]",
            "redirect_to": "/x # not a comment",
            "websocket": False,
        },
    ]
    assert doc.line_of(("settings",)) == 8
    assert doc.line_of(("settings", "strict_slashes")) == 9
    assert doc.line_of(("converters",)) == 11
    assert doc.line_of(("converters", "slug")) == 11
    assert doc.line_of(("converters", "slug", "regex")) == 12
    assert doc.line_of(("routes", 0)) == 14
    assert doc.line_of(("routes", 0, "endpoint")) == 16
    assert doc.line_of(("routes", 0, "methods")) == 17
    assert doc.line_of(("routes", 0, "methods", 1)) == 19
    assert doc.line_of(("routes", 0, "defaults")) == 22
    assert doc.line_of(("routes", 0, "defaults", "page")) == 23
    # [[routes]] inside strings and comments is not counted: route #1 is at line 25.
    assert doc.line_of(("routes", 1)) == 25
    assert doc.line_of(("routes", 1, "rule")) == 26
    assert doc.line_of(("routes", 1, "websocket")) == 29
    assert doc.line_of(("routes", 2)) is not None  # falls back to the routes array
    assert doc.line_of(("routes", 1, "missing")) == 25


def test_toml_inline_routes_array(tmp_path):
    doc = read_document(
        write(
            tmp_path,
            "inline.toml",
            """
            # inline array of tables
            routes = [
              { rule = "/", endpoint = "index" },
              {rule = "/[[routes]]", endpoint = "x", methods = ["GET"]},

              { rule = "/{a}", endpoint = "y", defaults = { a = "}" } },
            ]
            settings = { merge_slashes = false }
            """,
        )
    )
    assert [r["endpoint"] for r in doc.data["routes"]] == ["index", "x", "y"]
    assert doc.line_of(("routes",)) == 2
    assert doc.line_of(("routes", 0)) == 3
    assert doc.line_of(("routes", 1)) == 4
    assert doc.line_of(("routes", 1, "methods")) == 4
    assert doc.line_of(("routes", 2)) == 6
    assert doc.line_of(("routes", 2, "defaults", "a")) == 6
    assert doc.line_of(("settings", "merge_slashes")) == 8


def test_toml_multiline_string_quote_runs(tmp_path):
    # A multi-line string may end with one or two quotes before its delimiter.
    doc = read_document(
        write(
            tmp_path,
            "q.toml",
            'a = """x""""\nb = \'\'\'y\'\'\'\'\'\n[[routes]]\nrule = "/"\nendpoint = "e"\n',
        )
    )
    assert doc.data["a"] == 'x"'
    assert doc.data["b"] == "y''"
    assert doc.line_of(("routes", 0)) == 3
    assert doc.line_of(("routes", 0, "endpoint")) == 5


def test_toml_dotted_keys_and_nested_headers(tmp_path):
    doc = read_document(
        write(
            tmp_path,
            "d.toml",
            """
            settings.strict_slashes = true
            [[routes]]
            rule = "/a"
            endpoint = "a"
            defaults.x = 1
            [[routes]]
            rule = "/b"
            endpoint = "b"
            [routes.defaults]
            y = 2
            """,
        )
    )
    assert doc.line_of(("settings", "strict_slashes")) == 1
    assert doc.line_of(("routes", 0, "defaults", "x")) == 5
    assert doc.line_of(("routes", 1)) == 6
    assert doc.line_of(("routes", 1, "defaults")) == 9
    assert doc.line_of(("routes", 1, "defaults", "y")) == 10


def test_toml_syntax_error_line_and_column(tmp_path):
    path = write(tmp_path, "bad.toml", '[[routes]]\nrule = "/"\nendpoint = \n')
    err = error(path)
    assert err.source == f"{path}:3"
    assert err.message.startswith("invalid TOML: ")
    assert "at column" in err.message
    assert "(at line" not in err.message


def test_toml_unclosed_inline_table(tmp_path):
    path = write(tmp_path, "bad.toml", 'routes = [\n  {rule = "/"\n]\n')
    err = error(path)
    assert err.source == f"{path}:2"
    assert "inline table" in err.message


def test_toml_duplicate_key(tmp_path):
    path = write(tmp_path, "dup.toml", '[[routes]]\nrule = "/"\nrule = "/b"\n')
    err = error(path)
    assert err.source == f"{path}:3"
    assert err.message.startswith("invalid TOML:")


def test_toml_error_at_end_of_document(tmp_path):
    path = write(tmp_path, "end.toml", 'routes = []\nx = "abc')
    err = error(path)
    assert err.message.startswith("invalid TOML:")
    assert err.source == f"{path}:2"


def test_toml_only_comments_is_empty(tmp_path):
    err = error(write(tmp_path, "c.toml", "# nothing\n# here\n"))
    assert err.message.startswith("no routes: the file is empty")


# ----------------------------------------------------------------------------------- JSON

BLOG_JSON = """
    {
      "settings": {"strict_slashes": false},
      "routes": [
        {"rule": "/", "endpoint": "index"},
        {
          "rule": "/b",
          "endpoint": "b",
          "methods": [
            "GET",
            "POST"
          ],
          "defaults": {"x": [1, {"y": 2}]}
        }
      ]
    }
"""


def test_json_data_and_lines(tmp_path):
    doc = read_document(write(tmp_path, "r.json", BLOG_JSON))
    assert doc.format == "json"
    assert doc.data["routes"][1]["methods"] == ["GET", "POST"]
    assert doc.line_of(("settings",)) == 2
    assert doc.line_of(("settings", "strict_slashes")) == 2
    assert doc.line_of(("routes",)) == 3
    assert doc.line_of(("routes", 0)) == 4
    assert doc.line_of(("routes", 1)) == 5
    assert doc.line_of(("routes", 1, "endpoint")) == 7
    assert doc.line_of(("routes", 1, "methods")) == 8
    assert doc.line_of(("routes", 1, "methods", 1)) == 10
    assert doc.line_of(("routes", 1, "defaults", "x", 1, "y")) == 12
    assert doc.line_of(("routes", 1, "nope")) == 5
    assert doc.line_of(("routes", 9)) == 3


def test_json_syntax_error(tmp_path):
    path = write(tmp_path, "bad.json", '{\n  "routes": [\n    {"rule": "/",}\n  ]\n}\n')
    err = error(path)
    assert err.source == f"{path}:3"
    assert err.message.startswith("invalid JSON: ")
    assert "column" in err.message


def test_json_duplicate_key(tmp_path):
    path = write(
        tmp_path,
        "dup.json",
        '{"routes": [\n  {"rule": "/",\n   "endpoint": "a",\n   "rule": "/b"}\n]}\n',
    )
    err = error(path)
    assert err.source == f"{path}:4"
    assert err.message == "duplicate key 'rule' (first defined at line 2)"


def test_json_top_level_array(tmp_path):
    path = write(tmp_path, "list.json", '[\n  {"rule": "/"}\n]\n')
    err = error(path)
    assert err.message == "the top level must be a mapping with a 'routes' key, got a list"


def test_json_top_level_scalar(tmp_path):
    err = error(write(tmp_path, "s.json", '"routes"\n'))
    assert err.message == (
        "the top level must be a mapping with a 'routes' key, got string 'routes'"
    )


def test_json_nesting_too_deep(tmp_path):
    path = write(tmp_path, "deep.json", '{"routes": ' + "[" * 100000 + "]" * 100000 + "}")
    err = error(path)
    assert err.source == path
    assert "nested too deeply" in err.message


def test_json_bom(tmp_path):
    doc = read_document(write(tmp_path, "b.json", b'\xef\xbb\xbf{"routes": []}'))
    assert doc.data == {"routes": []}


# ------------------------------------------------------------------------- every format


@pytest.mark.parametrize("ext", ["yaml", "toml", "json"])
@pytest.mark.parametrize("content", ["", "   \n\n\t\n"])
def test_empty_file(tmp_path, ext, content):
    path = write(tmp_path, f"e.{ext}", content)
    err = error(path)
    assert str(err) == f"{path}: no routes: the file is empty"


def test_yaml_only_comments_or_bare_document(tmp_path):
    for content in ("# just a comment\n", "---\n", "--- # c\n...\n"):
        err = error(write(tmp_path, "c.yaml", content))
        assert err.message == "no routes: the file is empty (nothing but comments)"


@pytest.mark.parametrize("content", ["- a\n- b\n", "just text\n", "42\n"])
def test_yaml_top_level_not_a_mapping(tmp_path, content):
    err = error(write(tmp_path, "t.yaml", content))
    assert err.message.startswith("the top level must be a mapping with a 'routes' key, got")


def test_missing_file(tmp_path):
    path = str(tmp_path / "nope.yaml")
    assert str(error(path)) == f"{path}: no such file"


def test_missing_directory_component(tmp_path):
    write(tmp_path, "afile", "x")
    path = str(tmp_path / "afile" / "r.yaml")
    assert error(path).message == "no such file"


def test_directory(tmp_path):
    (tmp_path / "routes.yaml").mkdir()
    path = str(tmp_path / "routes.yaml")
    assert str(error(path)) == f"{path}: is a directory, not a route file"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, "secret.yaml", "routes: []\n")
    os.chmod(path, 0)
    try:
        assert error(path).message == "cannot read the file: permission denied"
    finally:
        os.chmod(path, 0o644)


def test_permission_error_is_reported(tmp_path, monkeypatch):
    path = write(tmp_path, "secret.yaml", "routes: []\n")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(route_file, "open", denied, raising=False)
    assert str(error(path)) == f"{path}: cannot read the file: permission denied"


def test_other_os_errors_are_reported(tmp_path, monkeypatch):
    path = write(tmp_path, "r.yaml", "routes: []\n")

    def broken(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(route_file, "open", broken, raising=False)
    assert error(path).message == "cannot read the file: Input/output error"


@pytest.mark.parametrize("ext", ["yaml", "toml", "json"])
def test_non_utf8_names_the_line_of_the_first_bad_byte(tmp_path, ext):
    path = write(tmp_path, f"latin1.{ext}", b"routes = 1\n# ok\n# caf\xe9\n\xff\n")
    err = error(path)
    assert err.source == f"{path}:3"
    assert err.message == "not valid UTF-8: byte 0xe9 at column 6; save the file as UTF-8"


def test_non_utf8_after_a_byte_order_mark_names_the_right_byte(tmp_path):
    # the byte named is the bad one, and its column is the one an editor shows (no mark)
    path = write(tmp_path, "bom.yaml", b"\xef\xbb\xbfroutes:\n  - rule: /caf\xe9\n")
    err = error(path)
    assert err.source == f"{path}:2"
    assert err.message == "not valid UTF-8: byte 0xe9 at column 15; save the file as UTF-8"
    bom_first_line = write(tmp_path, "bom1.yaml", b"\xef\xbb\xbf\xff")
    assert error(bom_first_line).message == (
        "not valid UTF-8: byte 0xff at column 1; save the file as UTF-8")


@pytest.mark.parametrize("ext", ["yaml", "toml", "json"])
def test_binary_file(tmp_path, ext):
    path = write(tmp_path, f"bin.{ext}", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    err = error(path)
    assert str(err) == f"{path}: binary file (it contains NUL bytes), not a route file"


def test_utf16_file(tmp_path):
    path = write(tmp_path, "u16.yaml", "routes: []\n".encode("utf-16"))
    assert error(path).message == "the file is UTF-16 encoded: save it as UTF-8"


@pytest.mark.parametrize("name", ["routes.txt", "routes", "routes.yaml.bak", "app.py"])
def test_unsupported_extension(tmp_path, name):
    path = write(tmp_path, name, "routes: []\n")
    err = error(path)
    assert err.source == path
    assert err.message.startswith("unsupported file")
    assert err.message.endswith("route files end in .yaml, .yml, .toml or .json")


def test_unexpected_exceptions_become_route_errors(tmp_path, monkeypatch):
    path = write(tmp_path, "r.yaml", "routes: []\n")

    def boom(text, path):
        raise KeyError("surprise")

    monkeypatch.setattr(yaml_file, "load_yaml", boom)
    err = error(path)
    assert err.source == path
    assert err.message == "cannot read route file: KeyError: 'surprise'"


@pytest.mark.parametrize("name, content", [("r.yaml", BLOG_YAML), ("r.toml", BLOG_TOML)])
def test_files_are_never_modified(tmp_path, name, content):
    path = write(tmp_path, name, content)
    before = (Path(path).read_bytes(), os.stat(path).st_mtime_ns)
    doc = read_document(path)
    doc.line_of(("routes", 0, "rule"))
    assert (Path(path).read_bytes(), os.stat(path).st_mtime_ns) == before


def test_describe():
    assert route_file.describe(None) == "null"
    assert route_file.describe(True) == "boolean true"
    assert route_file.describe(3) == "integer 3"
    assert route_file.describe(1.5) == "number 1.5"
    assert route_file.describe("GET") == "string 'GET'"
    assert route_file.describe("x" * 100) == "string '" + "x" * 37 + "...'"
    assert route_file.describe([1]) == "a list"
    assert route_file.describe({}) == "a mapping"


def test_pure_python_yaml_loader_gives_the_same_answers(tmp_path, monkeypatch):
    import yaml

    path = write(tmp_path, "r.yaml", BLOG_YAML)
    with_c = read_document(path)
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    pure = read_document(path)
    assert pure.data == with_c.data
    for keys in [("routes", 1), ("routes", 1, "methods", 1), ("converters", "slug")]:
        assert pure.line_of(keys) == with_c.line_of(keys)
    assert str(error(write(tmp_path, "two.yaml", "routes: []\n---\nroutes: []\n"))).endswith(
        "two.yaml:3: a route file holds one YAML document, found a second one"
    )
    dup = error(write(tmp_path, "dup.yaml", "routes: []\nroutes: []\n"))
    assert dup.message == "duplicate key 'routes' (first defined at line 1)"
    bad = error(write(tmp_path, "bad.yaml", "routes:\n  - rule: /\n    endpoint: x: y\n"))
    assert bad.source.endswith("bad.yaml:3")


def test_toml_route_lines_from_headers_equal_the_full_scan(tmp_path):
    from routecli.sources.toml_file import TomlLineScanner

    parts = ['settings = {strict_slashes = false}\n']
    for i in range(40):
        parts.append(f'\n[[routes]]\nrule = "/r{i}/<int:id>"\nendpoint = "e{i}"  # [[routes]]\n')
        if i % 3 == 0:
            parts.append(f"[routes.defaults]\npage = {i}\n")
    text = "".join(parts)
    path = write(tmp_path, "many.toml", text)
    doc = read_document(path)
    fast = [doc.line_of(("routes", i)) for i in range(40)]
    scanned: dict = {}
    TomlLineScanner(text, scanned).scan()
    assert fast == [scanned[("routes", i)] for i in range(40)]
    # A deeper key afterwards still gets its exact line from the full scan.
    assert doc.line_of(("routes", 3, "defaults", "page")) == scanned[("routes", 3, "defaults",
                                                                       "page")]
