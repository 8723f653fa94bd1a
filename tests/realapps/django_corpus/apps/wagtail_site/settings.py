"""Wagtail added to a Django project as its documentation ("Integrating Wagtail into a
Django project") says."""

from admin_site.settings import *  # noqa: F403 - the same project base

INSTALLED_APPS = INSTALLED_APPS + [  # noqa: F405
    "wagtail.contrib.forms", "wagtail.contrib.redirects", "wagtail.embeds", "wagtail.sites",
    "wagtail.users", "wagtail.snippets", "wagtail.documents", "wagtail.images",
    "wagtail.search", "wagtail.admin", "wagtail", "modelcluster", "taggit",
]
MIDDLEWARE = MIDDLEWARE + ["wagtail.contrib.redirects.middleware.RedirectMiddleware"]  # noqa: F405
ROOT_URLCONF = "wagtail_site.urls"
WAGTAIL_SITE_NAME = "routecli"
WAGTAILADMIN_BASE_URL = "http://localhost"
MEDIA_URL = "/media/"
