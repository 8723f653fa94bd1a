"""ReDoS through a Starlette/FastAPI custom convertor (route files and live apps):
``match`` (and ``--explain``) answer at once where Starlette's ``re`` hangs, and ``lint``
reports RL120; the linear-time test in front of ``re`` never changes an answer
(hypothesis, against ``re`` itself)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_analysis_cli import TIME_LIMIT, routecli

from routecli.routing.backtracking import GuardedPattern, guarded

LONG = "a" * 5000
STARLETTE_FILE = ("settings: {dialect: %s}\nconverters: {evil: {regex: '(a+)+'}, "
                  "alt: {regex: '(a|aa)+'}}\nroutes:\n  - {rule: '/x/{v:evil}', endpoint: x}\n"
                  "  - mount: /m\n    routes: [{rule: '/y/{v:alt}', endpoint: y}]\n")
LIVE_APP = """
from starlette.applications import Starlette
from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import Route


class Evil(Convertor):
    regex = "(a+)+"

    def convert(self, value):
        return value

    def to_string(self, value):
        return value


register_url_convertor("evilredos", Evil())


async def endpoint(request):
    pass


app = Starlette(routes=[Route("/x/{v:evilredos}", endpoint)])
"""


def _statuses(tmp_path, source, urls, *extra):
    out = []
    for url in urls:
        done, seconds = routecli("-r", source, "match", *extra, "GET", url, "--format",
                                 "json", cwd=tmp_path)
        assert seconds < TIME_LIMIT, url[:20]
        assert "Traceback" not in done.stderr
        out.append((json.loads(done.stdout)["status"], done.returncode))
    return out


def test_route_file_convertors_answer_at_once(tmp_path):
    for dialect in ("starlette", "fastapi"):
        (tmp_path / "r.yaml").write_text(STARLETTE_FILE % dialect)
        urls = [f"/x/{LONG}!", f"/m/y/{LONG}!", f"/x/{LONG}", f"/m/y/{LONG}"]
        assert _statuses(tmp_path, "r.yaml", urls) == [(404, 1), (404, 1), (200, 0), (200, 0)]
        assert _statuses(tmp_path, "r.yaml", urls[:1], "--explain") == [(404, 1)]


def test_a_live_app_convertor_answers_at_once(tmp_path):
    (tmp_path / "redosapp.py").write_text(LIVE_APP)
    urls = [f"/x/{LONG}!", f"/x/{LONG}"]
    assert _statuses(tmp_path, "redosapp:app", urls) == [(404, 1), (200, 0)]


def test_lint_reports_the_convertors(tmp_path):
    (tmp_path / "r.yaml").write_text(STARLETTE_FILE % "starlette")
    (tmp_path / "redosapp.py").write_text(LIVE_APP)
    for source, names in (("r.yaml", ["alt", "evil"]), ("redosapp:app", ["evilredos"])):
        done, seconds = routecli("-r", source, "lint", "--format", "json", cwd=tmp_path)
        assert done.returncode == 0 and seconds < TIME_LIMIT, done.stderr
        found = [f for f in json.loads(done.stdout)["findings"] if f["code"] == "RL120"]
        assert sorted(re.search("convertor '(.*?)'", f["message"])[1] for f in found) == names
        assert all("routecli match answers it in linear time" in f["message"] for f in found)


STARLETTE_SHAPED = [
    "^/x/(?P<v>(a+)+)\n?$", "^/x/(?P<v>(a|aa)+)\n?$", "^/m/(?P<v>(a|ab)+)/(?P<path>.*)\n?$",
    "^/x/(?P<v>(a+)+)-(?P<w>[0-9]+)\n?$", "^(?P<h>(a+)+)\\.example\\.com\n?$",
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(STARLETTE_SHAPED), st.sampled_from(["match", "fullmatch"]),
       st.text(alphabet="ab/x-m1.\n!", max_size=14))
def test_the_guard_never_changes_an_answer(source, method, tail):
    plain = re.compile(source)
    wrapped = guarded(plain)
    assert isinstance(wrapped, GuardedPattern)
    for text in (tail, "/x/" + tail, "/m/" + tail):
        expected = getattr(plain, method)(text)
        got = getattr(wrapped, method)(text)
        assert (got and got.groupdict()) == (expected and expected.groupdict()), text


# ------------------------------------------- regexes beyond the automata: a time budget

def test_a_regex_beyond_the_automata_gets_a_time_budget(monkeypatch):
    from helpers import ordered
    from routecli.errors import RouteError
    from routecli.routing import backtracking

    monkeypatch.setattr(backtracking, "BUDGET", 0.3)
    table = ordered("django", {"regex": r"^(a*)*\1$", "endpoint": "x"},
                    {"rule": "ok/", "endpoint": "ok"})
    assert table.match("GET", "/aaaa").status == 200  # still answered by re
    assert table.match("GET", "/ok/").status == 200
    with pytest.raises(RouteError, match=r"backtracked for over 0.3 s .* \(RL120\)"):
        table.match("GET", "/" + "a" * 3000 + "!")
    import signal

    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL  # the timer is put back
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_the_budget_ends_a_hanging_match_with_one_line(tmp_path):
    (tmp_path / "r.yaml").write_text(
        "settings: {dialect: django}\nroutes: [{regex: '^(a*)*\\1$', endpoint: x}]\n")
    done, seconds = routecli("-r", "r.yaml", "match", "GET", f"/{LONG}!", cwd=tmp_path)
    assert done.returncode == 2 and seconds < TIME_LIMIT
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("r.yaml:2: re_path() regex '^(a*)*\\\\1$' backtracked")
