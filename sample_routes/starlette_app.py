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
    Route("/users/me", me),  # before /users/{user_id}, which would take it
    Route("/users/{user_id}", user),
    Mount("/api", routes=[Route("/items/{item_id:int}", item)]),
])
