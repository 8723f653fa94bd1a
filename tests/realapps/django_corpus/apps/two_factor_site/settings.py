"""django-two-factor-auth as its documentation sets it up: django-otp's devices, the
two-factor login views in place of Django's, and the OTP-protected admin site."""

from admin_site.settings import *  # noqa: F403 - the same project base

INSTALLED_APPS = INSTALLED_APPS + [  # noqa: F405
    "django_otp", "django_otp.plugins.otp_static", "django_otp.plugins.otp_totp",
    "two_factor", "two_factor.plugins.phonenumber",
]
MIDDLEWARE = MIDDLEWARE + ["django_otp.middleware.OTPMiddleware"]  # noqa: F405
LOGIN_URL = "two_factor:login"
ROOT_URLCONF = "two_factor_site.urls"
