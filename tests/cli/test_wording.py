"""Messages a newcomer reads (issue #14, "Wording"): no internal jargon, no Python
internals (``NoneType``, ``None`` for YAML's ``~``), a huge value is not echoed in full,
one "expected one of" per message, and the discovery order the README gives is the one
the code follows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from routecli.cli.app import cli
from routecli.errors import quoted

ROOT = Path(__file__).resolve().parents[2]
HUGE = "h" * 100_000


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env)


def write(tmp_path, text: str, name: str = "routes.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_order_dependent_tie_says_registration_order_not_transitions(tmp_path):
    routes = write(tmp_path, "routes:\n"
                             "  - {rule: '/p/<any(a, b):section>', endpoint: section}\n"
                             "  - {rule: '/p/<name>', endpoint: page}\n")
    out = run("-r", routes, "lint").output
    assert "GET /p/a goes to 'section' only because it was registered first" in out
    assert "transition" not in out


def test_a_tie_decided_by_an_unrelated_route_names_it(tmp_path):
    routes = write(tmp_path, "routes:\n"
                             "  - {rule: '/<string:v>/no_match', endpoint: nm}\n"
                             "  - {rule: '/<any(foo,bar):v>', endpoint: any}\n"
                             "  - {rule: '/<v>', endpoint: s}\n")
    out = run("-r", routes, "lint").output
    assert ("only because the unrelated route `/<string:v>/no_match` (line 2) was "
            "registered before both (werkzeug#3156)") in out
    assert "transition" not in out


def test_a_none_default_is_shown_without_a_python_type(tmp_path):
    routes = write(tmp_path, "routes:\n  - {rule: /b, endpoint: b, defaults: {x: ~}}\n")
    result = run("-r", routes, "match", "/b")
    assert "x=None" in result.output and "NoneType" not in result.output
    assert "post_id='42' (str)" in run("match", "/blog/posts/42").output  # types stay


def test_a_yaml_null_key_is_called_null_with_the_fix(tmp_path):
    routes = write(tmp_path, "routes:\n  - rule: /a\n    endpoint: a\n    ~: 1\n")
    result = run("-r", routes, "list")
    assert result.exit_code == 2
    assert result.output.strip().endswith(
        "routes.yaml:4: routes[0]: unknown key null (YAML reads an unquoted ~ or null as "
        "no value: quote the key)")
    assert "None" not in result.output


@pytest.mark.parametrize("args", [
    ["match", "/b", "--host", HUGE],
    ["match", f"http://{HUGE}/b"],
    ["match", HUGE],
    ["url", "b", "--host", HUGE],
    ["url", HUGE],
    ["url", "b", HUGE],
    ["list", "--path", HUGE],
    ["list", "--endpoint", HUGE],
    ["list", "--grep", HUGE],
    ["list", "--method", HUGE],
    ["rule", HUGE],
    ["lint", "--select", HUGE],
    ["coverage", "--json-field", HUGE],
])
def test_a_huge_value_is_not_echoed_in_full(tmp_path, args):
    routes = write(tmp_path, "routes:\n  - {rule: /b, endpoint: b}\n")
    result = run("-r", routes, *args)
    assert result.exit_code in (0, 1, 2)  # an empty listing is 0
    assert len(result.output) < 600, result.output[:300]
    assert "(100,000 characters)" in result.output


def test_quoted_cuts_in_the_middle_and_gives_the_length():
    assert quoted("short") == "'short'"
    text = quoted("a" * 50 + "b" * 50)
    assert text.startswith("'aaaa") and "…" in text and text.endswith("b' (100 characters)")
    assert len(text) < 100


@pytest.mark.parametrize("content", [
    "zzz: 1\nroutes: []\n",
    "settings: {dialect: zz}\nroutes: []\n",
    "settings: {zzz: 1}\nroutes: []\n",
    "routes:\n  - {rule: /a, endpoint: a, zzz: 1}\n",
    "settings: {dialect: fastapi}\nroutes:\n  - {rule: /a, endpoint: a, kind: zz}\n",
    "settings: {dialect: django}\nroutes:\n  - {rule: a/, endpoint: a, zzz: 1}\n",
])
def test_expected_one_of_is_said_once(tmp_path, content):
    result = run("-r", write(tmp_path, content), "list")
    assert result.exit_code == 2
    assert result.output.count("expected one of") <= 1
    assert result.output.count("\n") == 1  # one line


def test_readme_discovery_order_is_the_code_order(tmp_path, monkeypatch):
    """README: -r, else ROUTECLI_ROUTES, else [tool.routecli], else FLASK_APP, else
    ./routes.yaml; the same order in `routecli --help` and docs/sources.md."""
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert ("Without `-r`, routecli uses `ROUTECLI_ROUTES` (paths separated by `:`), else "
            "`[tool.routecli] routes = [...]` in the nearest `pyproject.toml`, else "
            "`FLASK_APP`") in readme
    help_text = " ".join(run("--help").output.split())
    assert ("else ROUTECLI_ROUTES, else [tool.routecli] routes in pyproject.toml, else "
            "FLASK_APP, else ./routes.yaml") in help_text
    # and the code: each level wins over the ones after it
    (tmp_path / "routes.yaml").write_text("routes:\n  - {rule: /file, endpoint: file}\n")
    (tmp_path / "env.yaml").write_text("routes:\n  - {rule: /env, endpoint: env}\n")
    (tmp_path / "proj.yaml").write_text("routes:\n  - {rule: /proj, endpoint: proj}\n")
    (tmp_path / "flaskapp.py").write_text("ROUTES = [{'rule': '/flask', 'endpoint': 'fl'}]\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))

    def endpoints(env):
        out = run("list", "--format", "json", env=env).output
        return re.findall(r'"endpoint": "(\w+)"', out)

    assert endpoints({"FLASK_APP": "flaskapp"}) == ["fl"]
    (tmp_path / "pyproject.toml").write_text('[tool.routecli]\nroutes = ["proj.yaml"]\n')
    assert endpoints({"FLASK_APP": "flaskapp"}) == ["proj"]
    assert endpoints({"FLASK_APP": "flaskapp", "ROUTECLI_ROUTES": "env.yaml"}) == ["env"]
    (tmp_path / "pyproject.toml").unlink()
    assert endpoints({"FLASK_APP": ""}) == ["file"]
