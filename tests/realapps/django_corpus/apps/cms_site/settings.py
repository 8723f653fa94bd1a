"""django CMS added to a Django project as its documentation ("Installing django CMS by
hand") says: its URLs under i18n_patterns, LocaleMiddleware on."""

from admin_site.settings import *  # noqa: F403 - the same project base

INSTALLED_APPS = ["cms", "menus", "treebeard", "sekizai", "django.contrib.sites",
                  *INSTALLED_APPS]  # noqa: F405
MIDDLEWARE = [
    "cms.middleware.utils.ApphookReloadMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cms.middleware.user.CurrentUserMiddleware",
    "cms.middleware.page.CurrentPageMiddleware",
    "cms.middleware.toolbar.ToolbarMiddleware",
    "cms.middleware.language.LanguageCookieMiddleware",
]
ROOT_URLCONF = "cms_site.urls"
SITE_ID = 1
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "German")]
CMS_TEMPLATES = [("home.html", "Home page template")]
CMS_CONFIRM_VERSION4 = True
