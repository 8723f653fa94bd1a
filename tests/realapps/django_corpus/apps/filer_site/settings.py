"""django-filer as its installation guide sets it up: filer, easy-thumbnails and
django-polymorphic; filer's own URLs (canonical file URLs) beside the admin it extends."""

from admin_site.settings import *  # noqa: F403 - the same project base

INSTALLED_APPS = INSTALLED_APPS + ["easy_thumbnails", "filer"]  # noqa: F405
THUMBNAIL_HIGH_RESOLUTION = True
ROOT_URLCONF = "filer_site.urls"
