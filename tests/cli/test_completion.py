"""Shell completion (docs/completion.md), driven as the shells drive it: routecli run with
``_ROUTECLI_COMPLETE=bash_complete`` (``zsh_complete``, ``fish_complete``), ``COMP_WORDS``
and ``COMP_CWORD`` in a subprocess, and the candidates it prints compared."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from routecli import load
from routecli.analysis.registry import RULES

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_routes"
BLOG = str(SAMPLES / "blog.yaml")


def complete(line: str, shell: str = "bash", cwd: Path | str = ROOT, env: dict | None = None):
    """What routecli offers for the command line ``line`` (the cursor at its end; a
    trailing space starts a new word): ``(candidates as (type, value), stderr)``."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    environ = {k: v for k, v in os.environ.items()
               if k not in ("ROUTECLI_ROUTES", "FLASK_APP")}
    environ.update(env or {})
    environ.update({"_ROUTECLI_COMPLETE": f"{shell}_complete", "COMP_WORDS": line,
                    "COMP_CWORD": str(cword)})
    if shell == "fish":  # fish passes the current token instead of its index
        environ["COMP_CWORD"] = "" if line.endswith(" ") else words[-1]
    proc = subprocess.run([sys.executable, "-m", "routecli"], env=environ, cwd=cwd,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return parse(proc.stdout, shell), proc.stderr


def parse(output: str, shell: str) -> list[tuple[str, str]]:
    if shell == "bash":
        return [tuple(line.split(",", 1)) for line in output.splitlines() if line]
    if shell == "zsh":  # type, value, help: three lines per candidate
        lines = output.splitlines()
        return [(lines[i], lines[i + 1]) for i in range(0, len(lines) - 2, 3)]
    return [tuple(line.split("\t")[0].split(",", 1)) for line in output.splitlines() if line]


def values(line: str, **kwargs) -> list[str]:
    candidates, stderr = complete(line, **kwargs)
    assert stderr == ""
    return [value for kind, value in candidates if kind == "plain"]


@pytest.mark.parametrize("shell, marker", [
    ("bash", "complete -o nosort -F _routecli_completion routecli"),
    ("zsh", "#compdef routecli"),
    ("fish", "complete --no-files --command routecli"),
])
def test_source_scripts_for_each_shell(shell, marker):
    proc = subprocess.run([sys.executable, "-m", "routecli"], capture_output=True, text=True,
                          env={**os.environ, "_ROUTECLI_COMPLETE": f"{shell}_source"},
                          timeout=60)
    assert proc.returncode == 0 and proc.stderr == ""
    assert marker in proc.stdout
    assert "_ROUTECLI_COMPLETE" in proc.stdout


def test_commands_and_options():
    assert values("routecli ") == ["match", "list", "lint", "conflicts", "rule", "coverage",
                                   "url", "diff"]
    assert values("routecli co") == ["conflicts", "coverage"]
    assert "--select" in values("routecli lint --se")
    assert values("routecli url --ext") == ["--external"]


def test_format_values():
    assert values("routecli lint --format ") == ["text", "json", "markdown", "sarif", "github", "html"]
    assert values("routecli coverage --format h") == ["html"]
    assert values("routecli url -f ") == ["text", "json"]


def test_rule_codes_for_selection_options():
    ten = sorted(code for code in RULES if code.startswith("RL10"))
    assert values("routecli lint --select RL10") == ten
    assert values("routecli lint --ignore RL101,RL10") == [f"RL101,{c}" for c in ten
                                                           if c != "RL101"]
    everything = values("routecli lint --extend-select ")
    assert everything[:len(RULES)] == sorted(RULES)
    assert "RL1" in everything and everything[-1] == "ALL"
    assert values("routecli lint --select rl10") == ten  # as typed, case-insensitively


def test_rule_command_completes_codes_and_names():
    assert values("routecli rule RL10") == sorted(c for c in RULES if c.startswith("RL10"))
    assert values("routecli rule dup") == sorted(r.name for r in RULES.values()
                                                 if r.name.startswith("dup"))
    assert RULES["RL101"].name in values("routecli rule dup")


def test_endpoints_from_the_route_table():
    endpoints = sorted({rule.endpoint for rule in load(BLOG)})
    assert values(f"routecli -r {BLOG} url ") == endpoints
    assert values(f"routecli url -r {BLOG} get_") == ["get_blog_post", "get_endpoint"]


def test_endpoints_from_discovered_sources(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.routecli]\nroutes = ["r.yaml"]\n')
    (tmp_path / "r.yaml").write_text("routes:\n  - {rule: /a, endpoint: alpha}\n"
                                     "  - {rule: /b/<int:id>, endpoint: beta}\n")
    assert values("routecli url ", cwd=tmp_path) == ["alpha", "beta"]
    assert values("routecli url ", cwd=tmp_path, env={"ROUTECLI_ROUTES": BLOG})[:2] == [
        "about", "get_blog_post"]


def test_endpoint_help_for_zsh_and_fish():
    candidates, _ = complete(f"routecli -r {BLOG} url get_b", shell="zsh")
    assert candidates == [("plain", "get_blog_post")]
    proc = subprocess.run(
        [sys.executable, "-m", "routecli"], capture_output=True, text=True, timeout=60,
        env={**os.environ, "_ROUTECLI_COMPLETE": "zsh_complete",
             "COMP_WORDS": f"routecli -r {BLOG} url get_b", "COMP_CWORD": "4"})
    assert proc.stdout.splitlines() == ["plain", "get_blog_post",
                                        "/blog/posts /blog/posts/<post_id>"]
    assert values(f"routecli -r {BLOG} url get_b", shell="fish") == ["get_blog_post"]


def test_url_values_name_the_rule_variables():
    assert values(f"routecli -r {BLOG} url get_blog_post ") == ["post_id="]
    assert values(f"routecli -r {BLOG} url get_blog_post post_id=3 ") == []
    assert values(f"routecli -r {BLOG} url show_post post_id=") == []


def test_first_match_dialects_offer_the_names_url_builds_from():
    django = str(SAMPLES / "django_urls.yaml")
    fastapi = str(SAMPLES / "fastapi_routes.yaml")
    # Django: URL names with their namespaces (reverse()'s), not views.
    assert values(f"routecli -r {django} url sh") == ["shop:item"]
    assert values(f"routecli -r {django} url shop:item ") == ["pk="]
    assert values(f"routecli -r {django} url archive ") == ["year="]
    # Starlette/FastAPI: route names (url_path_for's).
    assert values(f"routecli -r {fastapi} url read_") == ["read_me", "read_user"]
    assert values(f"routecli -r {fastapi} url read_user ") == ["user_id="]


@pytest.mark.parametrize("setup", ["broken", "missing", "python", "none", "binary"])
def test_a_broken_or_missing_source_gives_no_candidates_and_no_output(tmp_path, setup):
    routes = []
    if setup == "broken":
        (tmp_path / "r.yaml").write_text("routes:\n  - rule: [\n")
        routes = ["-r", "r.yaml"]
    elif setup == "missing":
        routes = ["-r", "nope.yaml"]
    elif setup == "python":  # never imported by a completion: it would run the app's code
        (tmp_path / "app.py").write_text("import sys\nprint('imported!')\n"
                                         "sys.stderr.write('boom')\nraise SystemExit(3)\n")
        routes = ["-r", "app.py"]
    elif setup == "binary":
        (tmp_path / "r.yaml").write_bytes(b"\xff\xfe\x00\x1b[2J" * 100)
        routes = ["-r", "r.yaml"]
    line = " ".join(["routecli", *routes, "url", ""])
    for shell in ("bash", "zsh", "fish"):
        candidates, stderr = complete(line, shell=shell, cwd=tmp_path)
        assert candidates == [] and stderr == ""
        candidates, stderr = complete(line + "x ", shell=shell, cwd=tmp_path)  # NAME=VALUE
        assert candidates == [] and stderr == ""


def test_endpoints_that_would_break_the_protocol_are_not_offered(tmp_path):
    (tmp_path / "r.yaml").write_text(
        'routes:\n  - {rule: /a, endpoint: "ok"}\n  - {rule: /b, endpoint: "bad\\x1b[2J"}\n'
        '  - {rule: /c, endpoint: "two\\nlines"}\n  - {rule: /d, endpoint: "a,b"}\n')
    assert values("routecli -r r.yaml url ", cwd=tmp_path) == ["ok"]


def test_files_for_route_sources_logs_and_outputs():
    for line in ("routecli -r ", "routecli coverage ", "routecli lint ", "routecli lint -o ",
                 "routecli coverage --format html -o "):
        candidates, _ = complete(line)
        assert ("file", "") in candidates, line


@pytest.mark.skipif(not Path("/bin/bash").exists(), reason="needs bash")
def test_through_bash_itself(tmp_path):
    """The script of docs/completion.md#setup, sourced in a real bash, fills COMPREPLY."""
    script = tmp_path / "try.sh"
    script.write_text(
        'eval "$(_ROUTECLI_COMPLETE=bash_source routecli)"\n'
        'try() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMPREPLY=();\n'
        '  _routecli_completion routecli; printf "%s|" "${COMPREPLY[@]}"; echo; }\n'
        f'try routecli -r {BLOG} url get_\n'
        'try routecli lint --select RL101,RL10\n'
        'try routecli lint --format ""\n')
    bindir = tmp_path / "bin"
    bindir.mkdir()
    launcher = bindir / "routecli"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m routecli "$@"\n')
    launcher.chmod(0o755)
    proc = subprocess.run(["/bin/bash", str(script)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT,
                          env={**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"})
    assert proc.stderr == ""
    lines = [line.rstrip("|").split("|") for line in proc.stdout.splitlines()]
    assert lines[0] == ["get_blog_post", "get_endpoint"]
    assert lines[1] == [f"RL101,{c}" for c in sorted(RULES) if c.startswith("RL10")
                        and c != "RL101"]
    assert lines[2] == ["text", "json", "markdown", "sarif", "github", "html"]
