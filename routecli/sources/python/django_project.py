"""Loading a live Django URLconf: configure Django as ``manage.py`` would, import the
URLconf module, read its ``urlpatterns`` (docs/django.md#live-urlconfs).

* ``DJANGO_SETTINGS_MODULE`` (or ``settings=``): that settings module is used, Django
  is set up (``django.setup()``: installed apps load), and the URLconf is the one
  named, else ``ROOT_URLCONF``. APPEND_SLASH counts only when CommonMiddleware is in
  MIDDLEWARE, as in Django; DEBUG is read.
* No settings: Django is configured with just ``ROOT_URLCONF`` (APPEND_SLASH on with
  CommonMiddleware, as the project template has it; DEBUG off; i18n on).

Importing a project runs its code: the same guards and error messages as for a Flask
app (:mod:`.importing`). Django can be configured once per process: a second project
with other settings is refused.
"""

from __future__ import annotations

import os

from routecli.errors import RouteError
from routecli.routing.model import RouteSet
from routecli.sources.python.importing import import_context, import_module
from routecli.sources.python.user_code import summary, user_site

DJANGO_EXTRA_HINT = "install it with: pip install 'routecli[django]'"
COMMON_MIDDLEWARE = "django.middleware.common.CommonMiddleware"


def load_urlconf(urlconf: str | None = None, settings_module: str | None = None,
                 base_dir: str | None = None) -> RouteSet:
    """The URLconf module ``urlconf`` (``mysite.urls``), or the settings' ROOT_URLCONF,
    as a RouteSet of the ``django`` dialect; raises :class:`RouteError`."""
    label = urlconf or settings_module or os.environ.get("DJANGO_SETTINGS_MODULE") or "Django"
    try:
        import django
    except ImportError as exc:
        raise RouteError(f"Django is not installed; {DJANGO_EXTRA_HINT}", label) from exc
    from routecli.sources.python.django_urlconf import pattern_sites

    with import_context(base_dir), pattern_sites():
        settings = _configure(django, urlconf, settings_module, label)
        name = urlconf or settings.ROOT_URLCONF
        if not isinstance(name, str) or not name:
            raise RouteError("no URLconf: name one (-r mysite.urls) or set ROOT_URLCONF",
                             label)
        module = import_module(name, label)
        if not hasattr(module, "urlpatterns"):
            raise RouteError(f"module '{name}' has no urlpatterns: not a Django URLconf",
                             getattr(module, "__file__", None) or label)
        from routecli.sources.python.django_urlconf import routeset_from_app

        append_slash = bool(getattr(settings, "APPEND_SLASH", True)) and \
            COMMON_MIDDLEWARE in list(getattr(settings, "MIDDLEWARE", None) or [])
        try:
            return routeset_from_app(module, append_slash=append_slash,
                                     debug=bool(getattr(settings, "DEBUG", False)), label=name)
        except RouteError:
            raise
        except Exception as exc:  # noqa: BLE001 - a lazy include() imports user code
            raise RouteError(f"error while reading '{name}': {summary(exc)}",
                             user_site(exc.__traceback__) or label) from exc


def django_kind(module_name: str, base_dir: str | None = None) -> str | None:
    """"urls" when ``module_name`` reads like a Django URLconf (its source assigns
    ``urlpatterns`` and mentions ``django``), "settings" for a settings module (it sets
    ``ROOT_URLCONF``), else None. Only the file is read: nothing is imported but the
    module's parent packages, which importing it would run anyway."""
    import importlib.util
    import sys

    if "django" not in sys.modules and importlib.util.find_spec("django") is None:
        return None
    with import_context(base_dir):
        try:
            found = importlib.util.find_spec(module_name)
        except (ImportError, ValueError, AttributeError):
            return None
        except Exception:  # noqa: BLE001 - a parent package failed: the import says why
            return None
    origin = getattr(found, "origin", None) if found is not None else None
    if not origin or not origin.endswith(".py"):
        return None
    try:
        with open(origin, encoding="utf-8", errors="replace") as handle:
            text = handle.read(1_000_000)
    except OSError:
        return None
    if "ROOT_URLCONF" in text and "urlpatterns" not in text:
        return "settings"
    if "urlpatterns" in text and "django" in text:
        return "urls"
    return None


def load_project(module_name: str, kind: str, base_dir: str | None, spec: str) -> RouteSet:
    """``-r mysite.urls`` or ``-r mysite.settings``, configured as ``manage.py`` would."""
    if kind == "settings":
        return load_urlconf(None, module_name, base_dir)
    return load_urlconf(module_name, None, base_dir)


def _configure(django, urlconf: str | None, settings_module: str | None, label: str):
    from django.conf import settings

    wanted = settings_module or os.environ.get("DJANGO_SETTINGS_MODULE")
    if settings.configured:
        current = getattr(settings, "SETTINGS_MODULE", None)
        if wanted and current and current != wanted:
            raise RouteError(f"Django is already configured with '{current}' in this "
                             f"process; cannot switch to '{wanted}'", label)
        return settings
    try:
        if wanted:
            os.environ["DJANGO_SETTINGS_MODULE"] = wanted
            import_module(wanted, label)  # its import errors, as the user's
        else:
            settings.configure(ROOT_URLCONF=urlconf, SECRET_KEY="routecli", DEBUG=False,
                               INSTALLED_APPS=[], MIDDLEWARE=[COMMON_MIDDLEWARE],
                               USE_I18N=True, ALLOWED_HOSTS=["*"])
        django.setup()
    except RouteError:
        raise
    except KeyboardInterrupt:
        raise
    except BaseException as exc:
        raise RouteError(f"cannot set up Django: {summary(exc)}",
                         user_site(exc.__traceback__) or label) from exc
    return settings
