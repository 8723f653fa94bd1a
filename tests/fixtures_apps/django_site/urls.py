from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path, register_converter
from django_site import converters, views

register_converter(converters.FourDigitYear, "yyyy")

urlpatterns = [
    path("", views.home, name="home"),
    path("users/<str:username>/", views.user, name="user"),
    path("users/me/", views.me, name="me"),
    path("login/", views.login, name="login"),
    path("y/<yyyy:year>/", views.year, name="year"),
    path("y/<str:year>/", views.any_year, name="any-year"),
    path("shop/", include("django_site.shop.urls", namespace="store")),
    path("raw/", views.raw, name="raw"),
    re_path(r"feed", views.about, name="feed"),
    path("k/<int:id>/", views.fixed, {"username": "fixed"}, name="k"),
]
urlpatterns += i18n_patterns(path("about/", views.about, name="about"))
