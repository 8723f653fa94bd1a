"""Which views routecli says refuse a method (405) in a live URLconf, checked against
Django's test client (docs/django.md#live-urlconfs): a claim of 405 holds only when
nothing the view is wrapped in answers first. Decorators that may answer before the
method check (login_required, an unknown one) and class-based views with their own
``dispatch`` leave the methods unknown: routecli then answers 200 for every method, and
Django indeed does not answer 405 from the method check (here login_required, missing
its middleware, errors: 500)."""

from __future__ import annotations

import pytest

pytest.importorskip("django")

from django.contrib.auth.decorators import login_required  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils.decorators import method_decorator  # noqa: E402
from django.views import View  # noqa: E402
from django.views.decorators.cache import cache_page, never_cache  # noqa: E402
from django.views.decorators.csrf import csrf_exempt, csrf_protect  # noqa: E402
from django.views.decorators.http import require_GET, require_POST  # noqa: E402
from django.views.decorators.vary import vary_on_cookie  # noqa: E402

import django_oracle as oracle  # noqa: E402
from routecli.routing.django.table import DjangoTable  # noqa: E402
from routecli.routing.serialize import route_row  # noqa: E402
from routecli.sources.python.django_urlconf import routeset_from_app  # noqa: E402

oracle.setup()
v = oracle.view


class Plain(View):
    def get(self, request):
        return HttpResponse("plain")


class OwnDispatch(View):
    """Answers before View.dispatch looks at the method (PasswordResetConfirmView does)."""

    def dispatch(self, request, *args, **kwargs):
        return HttpResponse("any method")

    def get(self, request):
        return HttpResponse("get")


@method_decorator(login_required, name="dispatch")
class LoginFirst(View):
    def get(self, request):
        return HttpResponse("get")


class OwnRefusal(View):
    def http_method_not_allowed(self, request, *args, **kwargs):
        return HttpResponse("not 405")

    def get(self, request):
        return HttpResponse("get")


def unknown_decorator(func):
    """A project's own decorator: routecli cannot tell whether it answers first (this
    one does, as an access check would)."""
    def wrapper(request, *args, **kwargs):
        if "token" not in request.GET:
            return HttpResponse(status=302)
        return func(request, *args, **kwargs)
    return wrapper


CASES = {
    # name: (view, methods routecli reads, a method to try)
    "require_POST": (require_POST(v("a")), ("POST",), "GET"),
    "never_cache over require_GET": (never_cache(require_GET(v("b"))), ("GET",), "POST"),
    "csrf_exempt over require_POST": (csrf_exempt(require_POST(v("c"))), ("POST",), "PUT"),
    "csrf_protect over require_GET": (csrf_protect(require_GET(v("d"))), ("GET",), "DELETE"),
    "cache_page over require_GET": (cache_page(60)(require_GET(v("e"))), ("GET",), "PATCH"),
    "vary_on_cookie over require_GET": (vary_on_cookie(require_GET(v("f"))), ("GET",), "POST"),
    "login_required over require_GET": (login_required(require_GET(v("g"))), None, "POST"),
    "unknown decorator over require_GET": (unknown_decorator(require_GET(v("h"))), None,
                                           "POST"),
    "class view": (Plain.as_view(), ("GET", "HEAD", "OPTIONS"), "POST"),
    "never_cache over a class view": (never_cache(Plain.as_view()),
                                      ("GET", "HEAD", "OPTIONS"), "DELETE"),
    "login_required over a class view": (login_required(Plain.as_view()), None, "POST"),
    "class view with its own dispatch": (OwnDispatch.as_view(), None, "POST"),
    "login_required on dispatch": (LoginFirst.as_view(), None, "POST"),
    "own http_method_not_allowed": (OwnRefusal.as_view(), None, "POST"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_405_is_claimed_only_where_django_answers_it(name):
    view, methods, refused = CASES[name]
    urlpatterns = [path("x/", view, name="x")]
    oracle.install(urlpatterns)
    table = DjangoTable(routeset_from_app(urlpatterns))
    assert table.endpoints[0].methods == methods
    listed = route_row(table.rules[0])["methods"]  # what `routecli list` shows
    ours = table.match(refused, "/x/")
    theirs = oracle.request(refused, "/x/")
    if methods is None:
        assert ours.status == 200 and theirs["status"] != 405
        assert listed == ["*"]
    else:
        assert (ours.status, ours.allowed_methods) == (405, theirs["allow"])
        assert listed == theirs["allow"]
        assert theirs["status"] == 405
        allowed = methods[0]
        assert table.match(allowed, "/x/").status == oracle.request(allowed, "/x/")["status"]
