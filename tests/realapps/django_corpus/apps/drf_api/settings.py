"""Django REST framework's quickstart: a router over viewsets, browsable API login."""

from admin_site.settings import *  # noqa: F403 - the same project base

INSTALLED_APPS = INSTALLED_APPS + ["rest_framework"]  # noqa: F405
ROOT_URLCONF = "drf_api.urls"
