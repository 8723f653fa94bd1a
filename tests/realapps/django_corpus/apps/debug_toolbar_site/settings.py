"""django-debug-toolbar installed as its documentation says: DEBUG on, the app and its
middleware, and its URLs added by ``debug_toolbar_urls()``."""

from admin_site.settings import *  # noqa: F403 - the same project base

DEBUG = True
INSTALLED_APPS = INSTALLED_APPS + ["debug_toolbar"]  # noqa: F405
MIDDLEWARE = ["debug_toolbar.middleware.DebugToolbarMiddleware"] + MIDDLEWARE  # noqa: F405
INTERNAL_IPS = ["127.0.0.1"]
ROOT_URLCONF = "debug_toolbar_site.urls"
