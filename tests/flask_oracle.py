"""Flask itself as the oracle for routecli.

``FlaskOracle(data)`` builds the Flask app that the route data (docs/sources.md#route-file-schema) describes (the same
``add_url_rule`` calls, the same ``url_map`` settings, the same custom converters) and
``oracle.match(method, url, host=None)`` answers a request the way that app does, as a
dict with the fields of ``RouteTable.match(...).to_dict()`` (docs/match.md#json-output).

How a request is answered
-------------------------
* The URL is turned into a WSGI environ the way a real server does it (``werkzeug.serving``):
  the fragment and the query string are split off, the path is ``urllib.parse.unquote``d
  (UTF-8, errors replaced) and put into ``PATH_INFO`` with the WSGI latin-1 "encoding
  dance".  A URL starting with ``/`` is a path (``//a/b`` stays a path, as in a request
  line); anything else is an absolute URL whose scheme and host are used.  The host is,
  in order: the ``host`` argument, the URL's host, ``settings.server_name``, ``localhost``.
  The request is then sent through the Flask test client (``environ_overrides`` carries
  the server-made ``PATH_INFO``), so Flask's own adapter creation, ``bind_to_environ``,
  host parsing, subdomain computation and error responses all run for real.
* A ``before_request`` hook records ``request.url_rule`` / ``request.view_args`` and
  short-circuits when there is no routing exception, so every method (OPTIONS, HEAD,
  unknown ones) reports the chosen rule and no view function ever runs.
* 405: ``allowed_methods`` is the response's ``Allow`` header, sorted.
* 308: ``location`` is the ``Location`` header, turned into the contract's form: a path
  plus ``?query`` when it points at the requesting host (same scheme; host compared the
  way Werkzeug normalises it: lower-cased, default port dropped), else the absolute URL.
  Flask does not say which rule redirected, so the oracle traces it: rules are built
  from a ``Rule`` subclass whose ``strict_slashes``/``merge_slashes``/``alias`` reads are
  recorded, and the map's matcher is wrapped.  Werkzeug's matcher reads
  ``rule.strict_slashes`` of the branch rule right before it raises ``SlashRequired``,
  ``rule.merge_slashes`` of the rule found with merged slashes right before the merge
  redirect, and ``rule.alias`` right before an alias redirect; defaults and ``redirect_to``
  redirects come from the rule the matcher returned.  ``args`` is ``None`` for slash and
  merge redirects (no value is converted) and the converted values otherwise.
* Anything else Flask does is reported as is: ``status`` 500 with ``error`` set to the
  exception (``PROPAGATE_EXCEPTIONS`` is on, so the test client re-raises it), or 400
  for a websocket mismatch.

Caveats
-------
* ``methods: "*"`` cannot be expressed with ``add_url_rule`` (it turns ``None`` into
  ``("GET",)``), so such routes are added as ``Rule(methods=None)`` straight to
  ``app.url_map`` (what an app does with ``app.url_map.add``).
* Map-wide settings are assigned to ``app.url_map`` before any rule is added (Flask's way;
  ``Map.merge_slashes`` is a property that reaches the matcher, so this equals passing
  them to the ``Map`` constructor).
* ``path`` is Flask's ``request.path`` (decoded, leading slashes collapsed to one: what
  Werkzeug matches); ``source`` is always None and not compared.
"""

from __future__ import annotations

import os
import threading
import uuid
import warnings
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Flask, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, Rule
from werkzeug.routing.exceptions import RequestAliasRedirect, RequestPath
from werkzeug.sansio.utils import get_host

# The fields the differential tests hold routecli to (``args`` is not compared for a 308:
# the contract does not say which values a redirect reports).
COMPARED_FIELDS = ("path", "status", "endpoint", "rule", "args", "allowed_methods", "location")

ROUTE_OPTIONS = (
    "defaults",
    "strict_slashes",
    "merge_slashes",
    "redirect_to",
    "alias",
    "build_only",
    "host",
    "subdomain",
    "websocket",
)

_trace = threading.local()


class _TracingRule(Rule):
    """A Werkzeug Rule that records when the matcher looks at its redirect-related flags."""

    def _seen(self) -> None:
        _trace.last_rule = self

    @property
    def strict_slashes(self):  # type: ignore[override]
        self._seen()
        return self.__dict__["_strict_slashes"]

    @strict_slashes.setter
    def strict_slashes(self, value):
        self.__dict__["_strict_slashes"] = value

    @property
    def merge_slashes(self):  # type: ignore[override]
        self._seen()
        return self.__dict__["_merge_slashes"]

    @merge_slashes.setter
    def merge_slashes(self, value):
        self.__dict__["_merge_slashes"] = value

    @property
    def alias(self):  # type: ignore[override]
        self._seen()
        return self.__dict__["_alias"]

    @alias.setter
    def alias(self, value):
        self.__dict__["_alias"] = value


def make_converter(name: str, spec: dict[str, Any]) -> type[BaseConverter]:
    """A BaseConverter subclass with a class-level regex/weight, as an app would write it."""
    attrs: dict[str, Any] = {}
    if "regex" in spec:
        attrs["regex"] = spec["regex"]
    if "weight" in spec:
        attrs["weight"] = spec["weight"]
    if "part_isolating" in spec:  # else Werkzeug derives it from the regex, as routecli does
        attrs["part_isolating"] = spec["part_isolating"]
    return type(f"{name}_converter", (BaseConverter,), attrs)


def _view_for(endpoint: str):
    """One distinct view function per endpoint (Flask refuses to remap an endpoint)."""

    def view(**kwargs: Any) -> str:  # never runs: before_request short-circuits
        return endpoint

    return view


def jsonable(value: Any) -> Any:
    """Converted values as the contract prints them: uuid as its canonical string."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


class FlaskOracle:
    """The Flask app for one table of route data."""

    def __init__(self, data: dict[str, Any]) -> None:
        settings = dict(data.get("settings") or {})
        self.settings = settings
        self.server_name = settings.get("server_name") or ""

        class OracleApp(Flask):
            url_rule_class = _TracingRule

        app = OracleApp(
            "routecli_oracle",
            root_path=os.path.dirname(os.path.abspath(__file__)),
            static_folder=None,
            host_matching=bool(settings.get("host_matching", False)),
            subdomain_matching=bool(self.server_name),
        )
        # Map-wide settings, set the way a Flask app does it, before any rule is added.
        app.url_map.strict_slashes = settings.get("strict_slashes", True)
        app.url_map.merge_slashes = settings.get("merge_slashes", True)
        app.url_map.redirect_defaults = settings.get("redirect_defaults", True)
        app.url_map.default_subdomain = settings.get("default_subdomain", "") or ""
        for name, spec in (data.get("converters") or {}).items():
            app.url_map.converters[name] = make_converter(name, spec)
        app.config["SERVER_NAME"] = self.server_name or None
        app.config["PROVIDE_AUTOMATIC_OPTIONS"] = settings.get("automatic_options", True)
        app.config["PROPAGATE_EXCEPTIONS"] = True
        self.app = app

        views: dict[str, Any] = {}
        for route in data.get("routes", []):
            endpoint = route["endpoint"]
            view = views.setdefault(endpoint, _view_for(endpoint))
            options = {k: route[k] for k in ROUTE_OPTIONS if route.get(k) is not None}
            methods = route.get("methods", ["GET"])
            if methods == "*":
                rule = app.url_rule_class(route["rule"], methods=None, endpoint=endpoint, **options)
                rule.provide_automatic_options = False  # type: ignore[attr-defined]
                app.url_map.add(rule)
                app.view_functions.setdefault(endpoint, view)
            else:
                app.add_url_rule(
                    route["rule"],
                    endpoint,
                    view,
                    provide_automatic_options=route.get("provide_automatic_options"),
                    methods=methods,
                    **options,
                )

        self._capture: dict[str, Any] = {}
        capture = self._capture

        @app.before_request
        def _record_rule():
            capture["path"] = request.path  # runs before any routing exception is raised
            if request.routing_exception is None:
                capture["rule"] = request.url_rule
                capture["view_args"] = request.view_args
                return "", 200
            return None

        matcher = app.url_map._matcher
        original_match = matcher.match

        def traced_match(*args: Any, **kwargs: Any):
            _trace.last_rule = None
            try:
                result = original_match(*args, **kwargs)
            except RequestPath:  # slash or merge-slashes redirect: no value was converted
                capture["redirecting_rule"] = _trace.last_rule
                capture["redirect_values"] = None
                raise
            except RequestAliasRedirect as exc:
                capture["redirecting_rule"] = _trace.last_rule
                capture["redirect_values"] = exc.matched_values
                raise
            capture["matched_rule"] = result[0]
            capture["matched_values"] = result[1]
            return result

        matcher.match = traced_match  # type: ignore[method-assign]
        self.client = app.test_client()

    # -- requests -------------------------------------------------------------------------

    def default_host(self) -> str:
        return self.server_name or "localhost"

    def split_url(self, url: str, host: str | None = None) -> tuple[str, str, str, str]:
        """(scheme, host, raw path, raw query) of a URL as a browser would send it."""
        if url.startswith("/"):
            scheme, netloc, rest = "http", "", url
        else:
            parts = urlsplit(url)
            scheme, netloc = parts.scheme or "http", parts.netloc
            rest = parts.path + (f"?{parts.query}" if parts.query else "")
        rest = rest.split("#", 1)[0]
        raw_path, _, query = rest.partition("?")
        if not raw_path:
            raw_path = "/"
        return scheme, host or netloc or self.default_host(), raw_path, query

    def match(self, method: str, url: str, host: str | None = None) -> dict[str, Any]:
        scheme, req_host, raw_path, query = self.split_url(url, host)
        decoded = unquote(raw_path)  # UTF-8, errors="replace", like werkzeug.serving
        path_info = decoded.encode("utf-8", "surrogatepass").decode("latin-1")
        raw_uri = raw_path + (f"?{query}" if query else "")
        answer: dict[str, Any] = {
            "method": method.upper(),
            "url": url,
            "path": "/" + decoded.lstrip("/"),  # replaced by Flask's request.path
            "status": None,
            "endpoint": None,
            "rule": None,
            "args": None,
            "allowed_methods": None,
            "location": None,
            "source": None,
        }
        self._capture.clear()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "Current server name ... doesn't match"
                response = self.client.open(
                    "/",
                    base_url=f"{scheme}://{req_host}",
                    method=method,
                    query_string=query,
                    environ_overrides={
                        "PATH_INFO": path_info,
                        "REQUEST_URI": raw_uri.encode("utf-8", "surrogatepass").decode("latin-1"),
                        "RAW_URI": raw_uri.encode("utf-8", "surrogatepass").decode("latin-1"),
                    },
                )
        except HTTPException as exc:  # pragma: no cover - Flask turns these into responses
            answer["status"] = exc.code
            answer["error"] = repr(exc)
            return answer
        except Exception as exc:  # noqa: BLE001 - Flask would answer 500
            answer["status"] = 500
            answer["error"] = f"{type(exc).__name__}: {exc}"
            return answer

        status = response.status_code
        answer["status"] = status
        capture = self._capture
        answer["path"] = capture.get("path", answer["path"])
        if status == 200 and "rule" in capture:
            rule = capture["rule"]
            answer["endpoint"] = rule.endpoint
            answer["rule"] = rule.rule
            answer["args"] = jsonable(dict(capture["view_args"] or {}))
        elif status == 405:
            allow = response.headers.get("Allow", "")
            answer["allowed_methods"] = sorted(m.strip() for m in allow.split(",") if m.strip())
        elif status == 308:
            answer["location"] = self.contract_location(
                response.headers["Location"], scheme, req_host
            )
            rule = capture.get("redirecting_rule")
            if rule is not None:  # slash, merge-slash or alias redirect
                answer["endpoint"] = rule.endpoint
                answer["rule"] = rule.rule
                values = capture["redirect_values"]
                answer["args"] = None if values is None else jsonable(dict(values))
            else:  # redirect_defaults or redirect_to: the rule the matcher returned
                rule = capture["matched_rule"]
                answer["endpoint"] = rule.endpoint
                answer["rule"] = rule.rule
                answer["args"] = jsonable(dict(capture["matched_values"]))
        elif status != 404:
            answer["error"] = f"unexpected status {response.status}"
        return answer

    @staticmethod
    def contract_location(location: str, scheme: str, req_host: str) -> str:
        """Flask's absolute Location as the contract prints it (path when on the same host)."""
        target = urlsplit(location)
        here = get_host(scheme, req_host).lower()
        there = get_host(target.scheme, target.netloc).lower()
        if target.scheme == scheme and there == here:
            path = target.path or "/"
            return f"{path}?{target.query}" if target.query else path
        return location


def flask_refusal(data: dict[str, Any]) -> BaseException | None:
    """The exception Flask raises while building this table, or None when it builds."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            FlaskOracle(data)
    except Exception as exc:  # noqa: BLE001 - any refusal counts
        return exc
    return None


def comparable(answer: dict[str, Any], fields: Iterable[str] = COMPARED_FIELDS) -> dict[str, Any]:
    """The compared fields of an answer, with every scalar tagged by its type.

    ``1``, ``1.0``, ``True`` and ``"1"`` all differ; ``args`` is dropped for 308 answers.
    """

    def typed(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): typed(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
        if isinstance(value, (list, tuple)):
            return [typed(v) for v in value]
        return (type(value).__name__, value)

    out = {}
    for field in fields:
        if field == "args" and answer.get("status") == 308:
            continue
        out[field] = typed(answer.get(field))
    return out
