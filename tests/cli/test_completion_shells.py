"""Completion in the real zsh and fish (docs/completion.md#setup): the script routecli
generates is loaded as the page says, Tab is pressed (zsh: in an interactive zsh on a
pseudo-terminal, through its own completion system; fish: ``complete -C``), and the
candidates the shell itself ends up with are compared. Skipped when a shell is absent
(``apt-get install zsh fish``)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from routecli.analysis.registry import RULES

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ["match", "list", "lint", "conflicts", "rule", "coverage", "url", "diff"]
LINT_FORMATS = ["text", "json", "markdown", "sarif", "github", "html"]
GITHUB = "sample_routes/github-api.yaml"

# Presses Tab after each request line in an interactive zsh, with compadd wrapped to print
# what the completion system adds (<<candidate>>); <<END>> closes each request's output.
# Every request below has at least one candidate (the driver waits for the first).
ZSH_DRIVER = r"""
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z 'PROMPT= ; RPROMPT= ; autoload -U compinit; compinit -u -D'
zpty -w z 'eval "$(_ROUTECLI_COMPLETE=zsh_source routecli)"'
zpty -w z 'compadd () { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi; typeset -a hits; builtin compadd -A hits "$@"; local h; for h in $hits; do print -r -- "<<$h>>"; done; }'
zpty -w z 'bindkey "^I" complete-word; print -r -- "<<RE""ADY>>"'
zpty -r z line '*<<READY>>*'
for request in "$@"; do
  zpty -w -n z "$request"$'\t'
  # wait for the first candidate before typing on: zle may skip completing with typeahead
  zpty -r z line '*>>*' && print -rn -- "$line"
  zpty -w -n z $'\C-u'
  zpty -w z 'print -r -- "<<E""ND>>"'
  while zpty -r z line; do
    print -rn -- "$line"
    [[ $line == *'<<END>>'* ]] && break
  done
done
zpty -d z
"""


def _environment(tmp_path: Path) -> dict[str, str]:
    """PATH with a `routecli` that runs this checkout's code; HOME and config dirs in
    tmp_path, so no user configuration is read or written."""
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    launcher = bindir / "routecli"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m routecli "$@"\n')
    launcher.chmod(0o755)
    return {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data"), "ZDOTDIR": str(tmp_path),
            "ROUTECLI_CACHE_DIR": str(tmp_path / "cache"), "TERM": "xterm"}


# request typed -> the candidates expected, as each shell offers them
CASES = [
    ("routecli ", COMMANDS),                                      # commands
    ("routecli lint --sel", ["--select"]),                        # options
    ("routecli lint --format ", LINT_FORMATS),                    # formats
    ("routecli conflicts --format m", ["markdown"]),
    ("routecli lint --select RL10", sorted(c for c in RULES if c.startswith("RL10"))),
    ("routecli rule RL11", sorted(c for c in RULES if c.startswith("RL11"))),  # rule codes
    ("routecli url get_", ["get_blog_post", "get_endpoint"]),     # endpoints (pyproject)
    (f"routecli -r {GITHUB} url authorizations_id_",
     ["authorizations_id_get_delete"]),                           # endpoints (-r)
    ("routecli url get_blog_post ", ["post_id="]),               # url variables
]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="needs zsh (apt-get install zsh)")
def test_completion_in_zsh(tmp_path):
    driver = tmp_path / "driver.zsh"
    driver.write_text(ZSH_DRIVER)
    proc = subprocess.run(["zsh", "-f", str(driver), *(line for line, _ in CASES)],
                          capture_output=True, text=True, timeout=180, cwd=ROOT,
                          env=_environment(tmp_path))
    chunks = proc.stdout.split("<<END>>")[:len(CASES)]
    assert len(chunks) == len(CASES), proc.stdout[-2000:] + proc.stderr
    for (line, expected), chunk in zip(CASES, chunks):
        offered = [c for c in re.findall(r"<<(.*?)>>", chunk) if c != 'E""ND']
        assert sorted(offered) == sorted(expected), (line, offered)


def _fish(tmp_path: Path, line: str, script: Path) -> list[tuple[str, str]]:
    proc = subprocess.run(["fish", "--no-config", "-c",
                           f"source {script}; complete -C {_fish_quote(line)}"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env=_environment(tmp_path))
    assert proc.stderr == "", proc.stderr
    return [tuple(item.partition("\t")[::2]) for item in proc.stdout.splitlines()]


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@pytest.mark.skipif(shutil.which("fish") is None, reason="needs fish (apt-get install fish)")
def test_completion_in_fish(tmp_path):
    script = tmp_path / "routecli.fish"
    env = _environment(tmp_path)
    script.write_text(subprocess.run(["routecli"], capture_output=True, text=True, check=True,
                                     env={**env, "_ROUTECLI_COMPLETE": "fish_source"}).stdout)
    for line, expected in CASES:
        offered = [value for value, _ in _fish(tmp_path, line, script)]
        assert sorted(offered) == sorted(expected), (line, offered)
    # descriptions arrive whole, commas included (click's own script cut them at a comma)
    described = dict(_fish(tmp_path, "routecli lint --select RL103", script))
    assert described["RL103"] == f"unreachable: {RULES['RL103'].summary}"
    assert "," in described["RL103"]
    # and so does a code list: the codes after a comma are completed too
    offered = [value for value, _ in _fish(tmp_path, "routecli lint --select RL101,RL10",
                                           script)]
    assert offered == [f"RL101,{c}" for c in sorted(RULES) if c.startswith("RL10")
                       and c != "RL101"]
