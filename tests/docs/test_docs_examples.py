"""Every command shown in README.md and docs/*.md runs as written and prints what is shown.

* ```console / ```text blocks: each ``$ routecli ...`` line is run and its output (standard
  output and error, as a terminal shows them) compared with the lines shown under it, up to
  the next ``$`` line. A line ``...`` stands for any number of lines. A command with no
  output shown must only succeed (exit 0 or 1: an answer, not an error).
* ```sh blocks: each line that runs ``routecli`` must exit with the status its comment
  documents: ``exit N``/``exits N``, or for ``...; echo $?  # ... N`` the printed status;
  else 0.

Commands run with bash in a scratch copy of the repository's ``sample_routes/`` and
``pyproject.toml`` (examples may write files: baselines, coverage.json), with the test's
Python environment first on PATH, ``NO_COLOR=1`` and ``COLUMNS=100``. Commands that cannot
run in a test are listed in EXCLUDED with the reason, and reported as skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# (substring of the command, reason): examples that cannot run in a test.
EXCLUDED = [
    ("pip install", "installs packages (the first-screen lines are checked by "
                    "test_first_screen_commands without it)"),
    ("myapp", "the user's own application, not in the repository"),
    ("mysite.", "the user's own Django project, not in the repository"),
    ("/var/log/", "the user's own server logs"),
    ("sampled-access.log.gz", "the user's own sampled production log"),
    ("git:origin/main", "needs the user's git repository and its remote (git sources are "
                        "tested in tests/diff/test_cli.py)"),
]

BLOCK = re.compile(r"^```(sh|console|text)\n(.*?)^```", re.S | re.M)
ECHO_STATUS = re.compile(r"echo \$\?\s*#.*?(\d)\s*$")
EXIT_COMMENT = re.compile(r"#.*\bexits? (\d)\b")


@dataclass
class Example:
    where: str  # file:line
    kind: str  # "sh" or "console"
    command: str
    shown: list[str] | None  # console: the output shown (None: not shown)

    def __str__(self) -> str:
        return f"{self.where}: {self.command}"


def runs_routecli(command: str) -> bool:
    code = re.split(r"\s#\s", command, maxsplit=1)[0]  # not a mention in a comment
    return re.search(r"(^|[|&;]\s*|\s)routecli\s", code + " ") is not None


def extract(path: Path) -> list[Example]:
    text = path.read_text(encoding="utf-8")
    name = path.relative_to(ROOT).as_posix()
    examples = []
    for block in BLOCK.finditer(text):
        first = text[:block.start(2)].count("\n") + 1
        lines = block.group(2).splitlines()
        if block.group(1) == "sh":
            for offset, line in enumerate(lines):
                if runs_routecli(line) and not line.lstrip().startswith("#"):
                    examples.append(Example(f"{name}:{first + offset}", "sh", line.strip(),
                                            None))
            continue
        current = None
        for offset, line in enumerate(lines):
            if line.startswith("$ "):
                current = Example(f"{name}:{first + offset}", "console", line[2:].strip(), [])
                examples.append(current)
            elif current is not None:
                current.shown.append(line)
        for example in examples:
            if example.kind == "console" and example.shown is not None:
                while example.shown and not example.shown[-1].strip():
                    example.shown.pop()
                if not example.shown:
                    example.shown = None
        examples = [e for e in examples if e.kind == "sh" or runs_routecli(e.command)]
    return examples


ALL = [example for path in DOCS for example in extract(path)]


def exclusion(example: Example) -> str | None:
    return next((reason for part, reason in EXCLUDED if part in example.command), None)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A scratch copy of what the examples read, so that the ones writing files write there."""
    work = tmp_path_factory.mktemp("docs")
    shutil.copytree(ROOT / "sample_routes", work / "sample_routes",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", work / "pyproject.toml")
    return work


def run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("ROUTECLI_", "FLASK_")) and key not in ("COLUMNS", "TERM")}
    env.update(NO_COLOR="1", COLUMNS="100", ROUTECLI_NO_CACHE="1",
               PATH=os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")]))
    # bash -c with stderr into stdout: the order a terminal shows them in.
    return subprocess.run(["bash", "-c", command + " 2>&1"], cwd=cwd, env=env, text=True,
                          stdout=subprocess.PIPE, timeout=120)


def normalise(text: str, cwd: Path) -> list[str]:
    text = text.replace(str(cwd) + os.sep, "").replace(str(cwd), ".")
    return [line.rstrip() for line in text.rstrip("\n").splitlines()]


def matches(shown: list[str], got: list[str]) -> bool:
    """``shown`` equals ``got``, a ``...`` line standing for any number of lines."""
    if not shown:
        return not got
    if shown[0].strip() == "...":
        return any(matches(shown[1:], got[i:]) for i in range(len(got) + 1))
    return bool(got) and shown[0].rstrip() == got[0] and matches(shown[1:], got[1:])


def expected_status(example: Example) -> int:
    found = ECHO_STATUS.search(example.command) or EXIT_COMMENT.search(example.command)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("example", ALL, ids=str)
def test_example(example: Example, workdir: Path):
    reason = exclusion(example)
    if reason:
        pytest.skip(f"excluded: {reason}")
    result = run(example.command, workdir)
    got = normalise(result.stdout, workdir)
    assert "Traceback" not in result.stdout, result.stdout
    if example.kind == "console":
        if example.shown is None:
            assert result.returncode in (0, 1), "\n".join(got)
            return
        assert matches(example.shown, got), (
            "shown:\n" + "\n".join(example.shown) + "\nreal:\n" + "\n".join(got))
        return
    status = expected_status(example)
    if ECHO_STATUS.search(example.command):
        assert got and got[-1] == str(status), "\n".join(got)
    else:
        assert result.returncode == status, "\n".join(got)


def test_examples_were_found():
    # A change in the Markdown conventions must not silently leave nothing to test.
    assert len(ALL) > 40
    assert sum(1 for e in ALL if e.kind == "console" and e.shown) >= 8


FIRST_SCREEN = re.compile(r"^```sh\n(python3 -m venv .*?)\n```", re.S | re.M)


def test_first_screen_commands(workdir: Path):
    """The README's first two commands: their routecli parts succeed here; the setup
    part (venv, pip install) is the environment this test already runs in."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_two = FIRST_SCREEN.findall(readme)[:2]
    assert len(first_two) == 2 and "pytest" in first_two[1]
    parts = [part.strip() for part in first_two[0].split("&&")]
    commands = [part for part in parts if part.startswith("routecli ")]
    assert commands == ["routecli match GET /blog/posts/42", "routecli list"]
    for command in commands:
        result = run(command, workdir)
        assert result.returncode == 0, result.stdout


def test_sample_access_log_is_what_the_generator_writes():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_sample_access_log
    finally:
        sys.path.pop(0)
    shipped = (ROOT / "sample_routes" / "access.log").read_text(encoding="ascii")
    assert shipped == make_sample_access_log.text()
