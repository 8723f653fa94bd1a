from django.http import HttpResponse
from django.views import View
from django.views.decorators.common import no_append_slash
from django.views.decorators.http import require_GET, require_http_methods, require_POST


def home(request):
    return HttpResponse("home")


def user(request, username):
    return HttpResponse(username)


@require_GET
def me(request):
    return HttpResponse("me")


@require_POST
def login(request):
    return HttpResponse("login")


@require_http_methods(["GET", "PUT"])
def year(request, year):
    return HttpResponse(str(year))


def any_year(request, year):
    return HttpResponse(year)


@no_append_slash
def raw(request):
    return HttpResponse("raw")


class ItemView(View):
    def get(self, request, pk):
        return HttpResponse(str(pk))

    def delete(self, request, pk):
        return HttpResponse("deleted")


def fixed(request, id, username):
    return HttpResponse(f"{id} {username}")


def about(request):
    return HttpResponse("about")
