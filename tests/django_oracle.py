"""Django itself as the oracle for routecli's Django dialect.

``DjangoOracle().answer(urlpatterns, method, url)`` installs ``urlpatterns`` as the
ROOT_URLCONF of a minimal project (CommonMiddleware, APPEND_SLASH, DEBUG off unless
asked) and answers ``method url`` twice: with ``django.urls.resolve`` (view_name, args,
kwargs, route, or the ``tried`` list of a Resolver404) and through the test client
(status, Location, Allow). Views never run user logic: each answers 200 unless a method
decorator or a class-based view's dispatch refuses the method first.
"""

from __future__ import annotations

import sys
import types

import django
from django.conf import settings

URLCONF = "routecli_django_oracle_urls"


def setup() -> None:
    if not settings.configured:
        settings.configure(
            DEBUG=False, SECRET_KEY="routecli-tests", ROOT_URLCONF=URLCONF,
            MIDDLEWARE=["django.middleware.common.CommonMiddleware"], APPEND_SLASH=True,
            ALLOWED_HOSTS=["*"], INSTALLED_APPS=[], USE_I18N=True, LANGUAGE_CODE="en",
            LOGGING_CONFIG=None,
        )
        django.setup()
        import logging

        logging.getLogger("django").setLevel(logging.CRITICAL)
        from django.urls import register_converter

        register_converter(EvenConverter, "even")
    if URLCONF not in sys.modules:
        sys.modules[URLCONF] = types.ModuleType(URLCONF)


class EvenConverter:
    """A converter whose ``to_python`` rejects odd numbers (ValueError = fall through)."""

    regex = "[0-9]+"

    def to_python(self, value):
        number = int(value)
        if number % 2:
            raise ValueError(f"{number} is odd")
        return number

    def to_url(self, value):
        return str(value)


def view(label: str):
    """A function view that just answers 200."""
    from django.http import HttpResponse

    def answer(request, *args, **kwargs):
        return HttpResponse(label)

    answer.__name__ = answer.__qualname__ = label
    answer.__module__ = "oracle_views"
    return answer


def class_view(label: str, handlers: tuple[str, ...] = ("get",)):
    """A class-based View with the given handlers (as_view() applied)."""
    from django.http import HttpResponse
    from django.views import View

    def handler(self, request, *args, **kwargs):
        return HttpResponse(label)

    cls = type(label, (View,), {name: handler for name in handlers})
    cls.__module__ = "oracle_views"
    return cls.as_view()


def install(urlpatterns) -> None:
    from django.urls import clear_url_caches

    setup()
    sys.modules[URLCONF].urlpatterns = list(urlpatterns)
    clear_url_caches()


def resolve(path: str) -> dict:
    """``django.urls.resolve(path)`` as a dict (``status`` 200 or 404)."""
    from django.urls import Resolver404
    from django.urls import resolve as dj_resolve

    try:
        match = dj_resolve(path)
    except Resolver404 as exc:
        tried = exc.args[0].get("tried") if exc.args and isinstance(exc.args[0], dict) else None
        return {"status": 404, "tried": [[str(p.pattern) for p in t] for t in tried or []]}
    return {"status": 200, "view_name": match.view_name, "args": tuple(match.args),
            "kwargs": match.kwargs, "route": match.route}


def request(method: str, url: str, debug: bool = False, append_slash: bool = True) -> dict:
    """The test client's answer: status, Location, Allow (as a list).

    ``url`` is a request target (path and query), put into the environ as a WSGI server
    does (PATH_INFO percent-decoded, as latin-1 text), so ``//x`` stays a path.
    """
    from urllib.parse import unquote_to_bytes

    from django.test import Client
    from django.test.utils import override_settings

    raw_path, _, query = url.partition("?")
    client = Client(raise_request_exception=False)
    with override_settings(DEBUG=debug, APPEND_SLASH=append_slash):
        response = client.generic(method, "/", PATH_INFO=unquote_to_bytes(raw_path).decode(
            "iso-8859-1"), QUERY_STRING=query)
    allow = response.headers.get("Allow")
    return {"status": response.status_code, "location": response.headers.get("Location"),
            "allow": None if allow is None else [m.strip() for m in allow.split(",")]}


def urlconf_from_items(items: list) -> list:
    """The live ``urlpatterns`` a Django route file's ``routes`` items describe (views
    from :func:`view`, with their methods and ``no_append_slash``)."""
    from django.urls import include, path, re_path
    from django.views.decorators.common import no_append_slash
    from django.views.decorators.http import require_http_methods

    out = []
    for item in items:
        if "routes" in item:
            children = urlconf_from_items(item["routes"])
            app_name, namespace = item.get("app_name"), item.get("namespace")
            if app_name:
                target = include((children, app_name), namespace=namespace)
            elif namespace:
                target = include((children, namespace), namespace=namespace)
            else:
                target = include(children)
            make = path if "include" in item else re_path
            out.append(make(item.get("include", item.get("include_regex")), target,
                            item.get("kwargs")))
            continue
        answer = view(item["endpoint"])
        if "methods" in item:
            answer = require_http_methods(item["methods"])(answer)
        if item.get("append_slash") is False:
            answer = no_append_slash(answer)
        make = path if "rule" in item else re_path
        out.append(make(item.get("rule", item.get("regex")), answer, item.get("kwargs"),
                        name=item["endpoint"]))
    return out
