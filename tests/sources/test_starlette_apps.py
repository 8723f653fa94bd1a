"""Live Starlette/FastAPI apps through ``-r module:app``: what routecli reads (kinds,
positions, file:line, FastAPI's validators) and what it answers, against TestClient."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from starlette_oracle import FASTAPI_TREE, client_for

from routecli.routing.dialects import compile_table, dialect_of
from routecli.sources.python import load_python

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = "tests/fixtures_apps/fastapi_app.py"


@pytest.fixture(scope="module")
def loaded():
    from fixtures_apps import fastapi_app

    return compile_table(load_python("fixtures_apps.fastapi_app:app")), fastapi_app.app


def test_the_app_is_read_as_fastapi_in_declaration_order(loaded):
    table, _ = loaded
    assert dialect_of(table).name == "fastapi"
    rows = [(e.position, e.kind, e.rule, e.endpoint) for e in table]
    assert rows[:4] == [("1", "docs", "/openapi.json", "openapi"),
                        ("2", "docs", "/docs", "swagger_ui_html"),
                        ("3", "docs", "/docs/oauth2-redirect", "swagger_ui_redirect"),
                        ("4", "docs", "/redoc", "redoc_html")]
    assert ("5", "route", "/users/{user_id}", "user") in rows
    assert ("9", "route", "/api/items/a", "item_a") in rows
    if not FASTAPI_TREE:  # FastAPI <= 0.136 copied the router at include time (F09, F13)
        assert ("10", "lost", "/api/items/late", "late") not in rows
        assert [row[1:] for row in rows if row[3] == "late"] == [
            ("lost", "/api/items/late", "late")]  # listed after the app's routes, never matched
        return
    assert ("10", "route", "/api/items/late", "late") in rows  # FastAPI >= 0.137: a live node
    assert ("11", "app", "/api/static/{path:path}", "static") in rows
    assert ("12", "endpoint", "/things", "Things") in rows
    assert ("13", "websocket", "/ws", "socket") in rows
    assert rows[-2][1:] == ("host", "/{path:path}", "(host)")
    assert rows[-1] == ("14.1", "route", "/", "host_home")


def test_an_old_fastapi_loses_what_was_added_after_include_router(loaded):
    table, _ = loaded
    lost = sorted(f.routes[0].rule for f in table.lint().findings if f.code == "RL215")
    # FastAPI <= 0.136 (F09, F13): the late route and the router's mount are never served.
    assert lost == ([] if FASTAPI_TREE else ["/api/items/late", "/api/static"])


def test_endpoints_keep_their_file_and_line(loaded):
    table, _ = loaded
    lines = Path(ROOT / FIXTURE).read_text().splitlines()
    by_endpoint = {e.endpoint: e for e in table}
    for name in ("user", "me", "Things") + (("late",) if FASTAPI_TREE else ()):
        source = by_endpoint[name].source
        assert source.file.replace("\\", "/").endswith(FIXTURE)
        assert name in lines[source.line - 1] or f"def {name}" in lines[source.line]


@pytest.mark.parametrize("method, url, host", [
    ("GET", "/users/me", None),        # F01: 422, the earlier route took it
    ("GET", "/users/4.0", None),       # F03: pydantic is lax
    ("GET", "/ge/3", None),            # F04: Path(ge=10) refuses
    ("HEAD", "/ge/30", None),          # F05: no HEAD on APIRoutes
    ("GET", "/e/3", None),             # S35: the convertor raises: 500
    ("GET", "/e/4", None),
    ("GET", "/api/items/late", None),      # F09: added after include_router
    ("GET", "/api/items/a/", None),        # F11: only the app's redirect_slashes counts
    ("GET", "/api/static/f", None),  # F13: a mount inside an included router
    ("DELETE", "/things", None),       # S27: the class answers 405 itself
    ("GET", "/ws", None),              # a websocket route is not http
    ("GET", "/", "api.example.com"),   # a Host route
    ("DELETE", "/docs", None),         # F07
])
def test_live_answers_match_the_app(loaded, method, url, host):
    table, app = loaded
    client = client_for(app)
    response = client.request(method, url, headers={"host": host} if host else {})
    result = table.match(method, "http://" + (host or "testserver") + url)
    assert result.status == response.status_code, (result.reason, response.text)
    if response.status_code == 405:
        allow = sorted(m.strip() for m in response.headers["allow"].split(","))
        assert result.allowed_methods == allow
    if response.status_code in (301, 307):
        assert result.location == response.headers["location"]


def test_a_422_says_which_route_took_it_and_why(loaded):
    table, _ = loaded
    result = table.match("GET", "/users/me", explain=True)
    assert (result.status, result.endpoint) == (422, "user")
    assert "Input should be a valid integer" in result.reason
    [miss] = [m for m in result.explanation if m.rule.endpoint == "me"]
    assert miss.kind == "taken" and "declared earlier" in miss.reason


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "routecli", *args], capture_output=True,
                          text=True, cwd=ROOT / "tests", timeout=120)


def test_cli_matches_lists_and_lints_a_live_app():
    spec = "fixtures_apps.fastapi_app:app"
    result = _cli("-r", spec, "match", "GET", "/users/me", "--format", "json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert (data["status"], data["endpoint"], data["dialect"]) == (422, "user", "fastapi")
    listed = _cli("-r", spec, "list", "--format", "json")
    rows = json.loads(listed.stdout)
    assert rows[0]["kind"] == "docs" and rows[0]["position"] == "1"
    lint = _cli("-r", spec, "lint", "--format", "json")
    codes = sorted(f["code"] for f in json.loads(lint.stdout)["findings"])
    assert "RL201" in codes, lint.stdout


def test_a_decorator_without_wraps_points_at_the_function_it_wraps(tmp_path, monkeypatch):
    # marimo's APIRouter.get(): every endpoint is the same nested ``wrapper_func`` closing
    # over ``func``; fastapi-users' routers define their endpoints nested too, closing
    # over helpers under other names: those are the endpoints themselves.
    (tmp_path / "wrapped_app.py").write_text(
        "from starlette.applications import Starlette\n"
        "from starlette.responses import PlainTextResponse\n"
        "\n"
        "app = Starlette()\n"
        "\n"
        "def get(path):\n"
        "    def decorator(func):\n"
        "        async def wrapper_func(request):\n"
        "            return PlainTextResponse(func(request=request))\n"
        "        app.add_route(path, wrapper_func, methods=['GET'])\n"
        "        return func\n"
        "    return decorator\n"
        "\n"
        "@get('/status')\n"
        "def status(request):\n"
        "    return 'ok'\n"
        "\n"
        "def make_router(get_manager):\n"
        "    async def login(request):\n"
        "        return PlainTextResponse(get_manager())\n"
        "    app.add_route('/login', login)\n"
        "\n"
        "make_router(lambda: 'm')\n")
    monkeypatch.chdir(tmp_path)
    routes = {r.rule: r for r in load_python("wrapped_app:app").routes}
    assert (routes["/status"].endpoint, str(routes["/status"].source)) == (
        "wrapper_func", "wrapped_app.py:14")  # its decorator line, as Python counts
    assert str(routes["/login"].source) == "wrapped_app.py:19"
