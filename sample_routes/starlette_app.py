"""A small Starlette app for the docs (docs/dialects.md#live-apps)."""

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route


async def user(request):
    return PlainTextResponse(request.path_params["user_id"])


async def me(request):
    return PlainTextResponse("me")


async def item(request):
    return PlainTextResponse("item")


app = Starlette(routes=[
    Route("/users/{user_id}", user),
    Route("/users/me", me),
    Mount("/api", routes=[Route("/items/{item_id:int}", item)]),
])
