"""Django Ninja's tutorial API: a NinjaAPI with path parameters, several methods on one
path (one function per method), a router and the docs pages, beside the admin."""

from admin_site.settings import *  # noqa: F403 - the same project base

INSTALLED_APPS = INSTALLED_APPS + ["ninja"]  # noqa: F405
ROOT_URLCONF = "ninja_api.urls"
