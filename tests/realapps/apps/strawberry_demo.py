"""strawberry's FastAPI integration as its documentation sets it up: a ``GraphQLRouter``
(GET and POST, and a websocket for subscriptions, all on one path) included under
``/graphql``, a second schema's router under ``/graphql/v2``, next to a plain route."""

import strawberry
from fastapi import FastAPI
from strawberry.fastapi import GraphQLRouter


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "Hello World"


schema = strawberry.Schema(Query)

app = FastAPI()
app.include_router(GraphQLRouter(schema), prefix="/graphql")
app.include_router(GraphQLRouter(schema, graphql_ide=None), prefix="/graphql/v2")


@app.get("/")
def index():
    return {"ok": True}
