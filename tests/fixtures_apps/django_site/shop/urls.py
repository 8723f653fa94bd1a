from django.urls import path, re_path
from django_site import views

app_name = "shop"
urlpatterns = [
    path("items/<int:pk>/", views.ItemView.as_view(), name="item"),
    re_path(r"^legacy/(?P<username>[a-z]+)/$", views.user, name="legacy"),
]
