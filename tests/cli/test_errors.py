"""Every kind of bad input: `file:line: message` on stderr, exit 2, never a traceback."""

import re

import pytest
from click.testing import CliRunner

from routecli.cli.app import cli

CASES = [
    # (file name, content (str or bytes), expected stderr pattern)
    ("syntax.yaml", "routes:\n  - rule: /a\n    endpoint: [unclosed\n", r"syntax\.yaml:\d+: "),
    ("syntax.toml", "[[routes]]\nrule = /a\n", r"syntax\.toml:2: "),
    ("syntax.json", '{"routes": [\n  {"rule": "/a",}\n]}', r"syntax\.json:2: "),
    ("types.yaml", "routes:\n  - rule: /a\n    endpoint: e\n    methods: GET\n",
     r"types\.yaml:4: .*methods.*list"),
    ("missing.yaml", "routes:\n  - rule: /a\n", r"missing\.yaml:2: .*endpoint"),
    ("unknown.yaml", "routes:\n  - rule: /a\n    endpiont: e\n",
     r"unknown\.yaml:3: .*did you mean 'endpoint'"),
    ("toplevel.yaml", "rotues: []\n", r"toplevel\.yaml:1: .*did you mean 'routes'"),
    ("badrule.yaml", "routes:\n  - rule: /blog/<post_id\n    endpoint: e\n",
     r"badrule\.yaml:2: rule '/blog/<post_id': '<' at column 7 is never closed"),
    ("noslash.yaml", "routes:\n  - rule: blog\n    endpoint: e\n",
     r"noslash\.yaml:2: rule 'blog': a rule must start with '/'"),
    ("conv.yaml", "routes:\n  - rule: /<foo:x>\n    endpoint: e\n",
     r"conv\.yaml:2: rule '/<foo:x>': unknown converter 'foo'"),
    ("args.yaml", "routes:\n  - rule: /<int(x=1):n>\n    endpoint: e\n",
     r"args\.yaml:2: .*unexpected keyword argument 'x'"),
    ("args2.yaml", "routes:\n  - rule: '/<string(2,5):s>'\n    endpoint: e\n",
     r"args2\.yaml:2: .*not an integer"),
    ("dup.yaml", "routes:\n  - rule: /<a>/<int:a>\n    endpoint: e\n",
     r"dup\.yaml:2: .*variable 'a' is used twice"),
    ("regex.yaml", "converters:\n  bad: {regex: '[a-'}\nroutes: []\n", r"regex\.yaml:2: .*regex"),
    ("latin1.yaml", "routes:\n  - rule: /caf\xe9\n    endpoint: e\n".encode("latin-1"),
     r"latin1\.yaml:2: .*UTF-8"),
    ("binary.yaml", b"\x00\x01\x02routes", r"binary\.yaml(:\d+)?: .*binary"),
    ("empty.yaml", "", r"empty\.yaml(:\d+)?: .*empty"),
    ("comments.toml", "# nothing here\n", r"comments\.toml(:\d+)?: "),
    ("tag.yaml", "routes: !!python/object:os.system {}\n", r"tag\.yaml:1: "),
    ("format.txt", "routes: []\n", r"format\.txt: .*\.yaml"),
]


@pytest.mark.parametrize("name, content, pattern", CASES, ids=[c[0] for c in CASES])
def test_bad_route_files(tmp_path, name, content, pattern):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    before = path.read_bytes()
    for command in (["match", "GET", "/"], ["list"]):
        result = CliRunner().invoke(cli, ["-r", str(path), *command])
        assert result.exit_code == 2, result.output
        line = result.stderr.strip()
        assert "\n" not in line and "Traceback" not in result.output
        assert re.search(pattern, line), line
        assert line.startswith(str(tmp_path))
    assert path.read_bytes() == before  # loading never modifies a user's file


def test_missing_file_and_directory(tmp_path):
    for spec in (str(tmp_path / "nope.yaml"), str(tmp_path)):
        result = CliRunner().invoke(cli, ["-r", spec, "list"])
        assert result.exit_code == 2
        assert result.stderr.startswith(spec) and "Traceback" not in result.output


def test_unimportable_module(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["-r", "no_such_module_xyz:app", "list"])
    assert result.exit_code == 2
    assert "no_such_module_xyz" in result.stderr and "Traceback" not in result.output


def test_no_sources_at_all(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for var in ("ROUTECLI_ROUTES", "FLASK_APP"):
        monkeypatch.delenv(var, raising=False)
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 2
    assert "-r" in result.stderr and "routes.yaml" in result.stderr


def test_debug_shows_the_traceback(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("routes:\n  - rule: /<x\n    endpoint: e\n")
    result = CliRunner().invoke(cli, ["--debug", "-r", str(path), "list"])
    assert result.exit_code != 0 and result.exception is not None


def test_non_regular_files_are_refused_without_reading(tmp_path):
    import os

    fifo = tmp_path / "routes.yaml"
    os.mkfifo(fifo)
    result = CliRunner().invoke(cli, ["-r", str(fifo), "list"])
    assert result.exit_code == 2 and "not a regular file" in result.stderr
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    result = CliRunner().invoke(cli, ["-r", str(link), "list"])
    assert result.exit_code == 2 and "not a regular file" in result.stderr


def test_json_lone_surrogates_and_huge_numbers(tmp_path):
    surrogate = tmp_path / "s.json"
    surrogate.write_text('{"routes": [\n  {"rule": "/\\ud800", "endpoint": "a"}\n]}')
    result = CliRunner().invoke(cli, ["-r", str(surrogate), "list"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"{surrogate}:2: routes[0].rule: a lone surrogate escape "
                                     "(\\ud800-\\udfff) is not text")
    pair = tmp_path / "pair.json"
    pair.write_text('{"routes": [{"rule": "/\\ud83d\\ude00", "endpoint": "a"}]}')
    assert CliRunner().invoke(cli, ["-r", str(pair), "list"]).exit_code == 0
    huge = tmp_path / "n.json"
    huge.write_text('{"routes": [\n{"rule": "/a", "endpoint": "a", "defaults": {"n": '
                    + "9" * 5000 + "}}]}")
    result = CliRunner().invoke(cli, ["-r", str(huge), "list"])
    assert result.exit_code == 2 and result.stderr.startswith(f"{huge}:2: a number too long")


def test_exits_even_when_an_imported_app_leaves_threads_running(tmp_path):
    import subprocess
    import sys

    (tmp_path / "threaded_app.py").write_text(
        "import threading, time\n"
        "from flask import Flask\n"
        "app = Flask(__name__)\n"
        "threading.Thread(target=time.sleep, args=(600,)).start()\n")
    done = subprocess.run([sys.executable, "-m", "routecli", "-r", "threaded_app:app", "list",
                           "-f", "json"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and '"endpoint": "static"' in done.stdout
