"""django-allauth as its quickstart sets it up: accounts, social accounts with a few
providers (each adds its own login and callback URLs), MFA and user sessions, and the
headless API for single-page apps."""

from admin_site.settings import *  # noqa: F403 - the same project base

INSTALLED_APPS = INSTALLED_APPS + [  # noqa: F405
    "django.contrib.sites",
    "allauth", "allauth.account", "allauth.socialaccount",
    "allauth.socialaccount.providers.github", "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa", "allauth.usersessions", "allauth.headless",
]
MIDDLEWARE = MIDDLEWARE + ["allauth.account.middleware.AccountMiddleware"]  # noqa: F405
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend",
                           "allauth.account.auth_backends.AuthenticationBackend"]
SITE_ID = 1
ROOT_URLCONF = "allauth_site.urls"
HEADLESS_ONLY = False
