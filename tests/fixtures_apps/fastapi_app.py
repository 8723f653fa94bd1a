"""A FastAPI app with the traps the first-match reference confirms (F01, F04, F09, F11, F13)
and Starlette's route kinds (class endpoint, websocket, host, static files, a convertor that
raises: S35)."""

from typing import Annotated

from fastapi import APIRouter, FastAPI, Path
from starlette.convertors import Convertor, register_url_convertor
from starlette.endpoints import HTTPEndpoint
from starlette.responses import PlainTextResponse
from starlette.routing import Host, Route, Router


class EvenConvertor(Convertor):
    regex = "[0-9]+"

    def convert(self, value: str) -> int:
        if int(value) % 2:
            raise ValueError("odd")
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("even", EvenConvertor())

app = FastAPI()


@app.get("/users/{user_id}")
def user(user_id: int):
    return {"user": user_id}


@app.get("/users/me")
def me():
    return {"me": True}


@app.get("/ge/{n}")
def at_least_ten(n: Annotated[int, Path(ge=10)]):
    return {"n": n}


@app.get("/e/{n:even}")
def even(n: int):
    return {"even": n}


items = APIRouter(prefix="/items", redirect_slashes=False)


@items.get("/a")
def item_a():
    return {}


app.include_router(items, prefix="/api")


@items.get("/late")
def late():
    return {}


async def static(scope, receive, send):
    await PlainTextResponse("static")(scope, receive, send)


items.mount("/static", static)


class Things(HTTPEndpoint):
    async def get(self, request):
        return PlainTextResponse("get")

    async def post(self, request):
        return PlainTextResponse("post")


app.add_route("/things", Things)


@app.websocket("/ws")
async def socket(websocket):
    await websocket.close()


app.router.routes.append(Host("{sub}.example.com", app=Router([
    Route("/", lambda request: PlainTextResponse("host"), name="host_home")])))
