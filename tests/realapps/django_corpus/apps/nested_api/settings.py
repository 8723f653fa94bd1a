"""drf-nested-routers as its README sets it up over Django REST framework: a
DefaultRouter, a NestedDefaultRouter under it (both give the API root and its format
suffix) and a NestedSimpleRouter two levels down, each router included under ``api/``."""

from admin_site.settings import *  # noqa: F403 - the same project base

INSTALLED_APPS = INSTALLED_APPS + ["rest_framework"]  # noqa: F405
ROOT_URLCONF = "nested_api.urls"
