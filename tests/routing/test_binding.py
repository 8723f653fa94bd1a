"""Binding a request (routecli/routing/werkzeug/binding.py): the subdomain and server name
a host is bound to, TRUSTED_HOSTS, and how built URLs are shown, against Werkzeug's own
``Map.bind_to_environ`` and ``host_is_trusted`` (docs/semantics.md)."""

import warnings

import pytest
from werkzeug.routing import Map
from werkzeug.sansio.utils import host_is_trusted as werkzeug_host_is_trusted
from werkzeug.test import create_environ

from routecli.errors import RouteError
from routecli.routing.model import Settings
from routecli.routing.werkzeug.binding import Bound, bind, host_for, host_is_trusted, relative


@pytest.mark.parametrize("host", [
    "example.com", "api.example.com", "a.b.example.com", "API.Example.com:80",
    "example.com:8080", "other.org", "notexample.com",
])
def test_subdomain_is_werkzeugs(host):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Werkzeug warns for a host outside SERVER_NAME
        adapter = Map().bind_to_environ(create_environ("/", f"http://{host}/"),
                                        server_name="example.com")
    bound = bind(Settings(server_name="example.com"), host)
    assert (bound.subdomain, bound.domain) == (adapter.subdomain, adapter.subdomain)
    assert bound.server_name == "example.com"


def test_bind_without_subdomain_matching_or_server_name():
    bound = bind(Settings(), None)
    assert bound == Bound("localhost", "http", "localhost", "", "")
    bound = bind(Settings(server_name="example.com", subdomain_matching=False,
                          default_subdomain="www"), "api.example.com")
    assert (bound.subdomain, bound.domain, bound.server_name) == ("www", "www", "example.com")
    bound = bind(Settings(host_matching=True, server_name="ignored.com"), "Static.Example.com")
    assert (bound.domain, bound.subdomain, bound.server_name) == (
        "static.example.com", None, "static.example.com")
    assert bind(Settings(), "example.com:443", "https").host == "example.com"


def test_bind_refuses_a_host_no_server_would_route():
    with pytest.raises(RouteError):
        bind(Settings(), "bad host")


@pytest.mark.parametrize("host", ["example.com", "example.com:8080", "api.example.com",
                                  "evil.test", "xn--bcher-kva.example", "localhost"])
@pytest.mark.parametrize("trusted", [
    ["example.com"], [".example.com"], ["example.com:9999"], ["bücher.example"], ["other"]])
def test_host_is_trusted_like_werkzeug(host, trusted):
    assert host_is_trusted(host, trusted) == werkzeug_host_is_trusted(host, trusted)


def test_an_untrusted_host_is_bound_but_not_trusted():
    bound = bind(Settings(trusted_hosts=[".example.com"]), "evil.test")
    assert not bound.trusted and bound.domain == ""
    assert bind(Settings(trusted_hosts=[".example.com"]), "a.example.com").trusted


def test_host_for_and_relative():
    bound = bind(Settings(server_name="example.com"), "api.example.com")
    assert host_for(bound, None, False) == "api.example.com"
    assert host_for(bound, "", False) == "example.com"
    assert host_for(bound, "www", False) == "www.example.com"
    assert host_for(bound, "static.test", True) == "static.test"
    assert relative(bound, "http://api.example.com/x?y") == "/x?y"
    assert relative(bound, "http://api.example.com") == "/"
    assert relative(bound, "http://api.example.com.evil/x") == "http://api.example.com.evil/x"
    assert relative(bound, "https://api.example.com/x") == "https://api.example.com/x"
