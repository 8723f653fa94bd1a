"""Django's ``reverse()`` on the real projects of the Django corpus (tools/realapps_django.py),
recorded so that ``routecli url`` can be checked against it without the projects installed.

    python tools/realapps_django_reverse.py            # every project
    python tools/realapps_django_reverse.py NAME...

For each project (loaded live, in a process of its own, from the virtual environment
tools/realapps_django.py describes) and for every URL name routecli finds (namespaces
included), it asks Django's ``reverse()`` with several argument sets: each parameter of a
pattern given one sample value (an integer, a word, a slug, a uuid, a year, a value with a
slash, one with a space and an accent), none at all, and only the first. The answers (a
path, ``NoReverseMatch``, or ``error`` for any other exception) go to
``tests/realapps/django_corpus/reverses/NAME.json``; the live routecli table is checked
against them on the way and each disagreement printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import realapps_django  # noqa: E402

REVERSES = realapps_django.HERE / "reverses"
SAMPLE_VALUES = ("1", "abc", "a-b", "12345678-1234-1234-1234-123456789abc", "2024", "x/y",
                 "é b")
NO_MATCH, ERROR = "NoReverseMatch", "error"


def lookups(table) -> list[tuple[str, dict[str, str]]]:
    """The (name, kwargs) pairs asked of every project, in a stable order."""
    from routecli.routing.django.reverse import url_names

    seen: set = set()
    out = []
    for name, _rule, params in url_names(table):
        for value in SAMPLE_VALUES:
            for kwargs in ({p: value for p in params}, {}, {p: value for p in params[:1]}):
                key = (name, tuple(sorted(kwargs.items())))
                if key not in seen:
                    seen.add(key)
                    out.append((name, kwargs))
    return out


def django_reverse(name: str, kwargs: dict) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return NO_MATCH
    except Exception:  # noqa: BLE001 - any other failure of Django's is recorded as one
        return ERROR


def routecli_reverse(table, name: str, kwargs: dict) -> str:
    from routecli.errors import RouteError
    from routecli.routing.django.reverse import NoReverseMatch

    try:
        return table.reverse(name, **kwargs)
    except NoReverseMatch:
        return NO_MATCH
    except RouteError:
        return ERROR


def one(name: str) -> int:
    from routecli.routing.dialects import compile_table
    from routecli.sources.python.django_project import load_urlconf

    settings_module = realapps_django.APPS[name][1]
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    table = compile_table(load_urlconf(settings_module=settings_module,
                                       base_dir=str(realapps_django.APPS_DIR)))
    answers = [[lookup, kwargs, django_reverse(lookup, kwargs)]
               for lookup, kwargs in lookups(table)]
    REVERSES.mkdir(parents=True, exist_ok=True)
    (REVERSES / f"{name}.json").write_text(
        "[\n" + ",\n".join(json.dumps(a, ensure_ascii=False) for a in answers) + "\n]\n",
        encoding="utf-8")
    wrong = [(lookup, kwargs, expected, routecli_reverse(table, lookup, kwargs))
             for lookup, kwargs, expected in answers
             if routecli_reverse(table, lookup, kwargs) != expected]
    built = sum(expected not in (NO_MATCH, ERROR) for _, _, expected in answers)
    print(f"{name}: {len(answers)} reverse() calls, {built} built, "
          f"{len(wrong)} disagreements")
    for case in wrong[:20]:
        print("  ", case)
    return 1 if wrong else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["one"] and len(argv) == 2:
        return one(argv[1])
    failed = 0
    for name in argv or sorted(realapps_django.APPS):
        done = subprocess.run([sys.executable, __file__, "one", name], cwd=ROOT)
        failed += done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
