"""A NiceGUI app as its documentation builds one: pages with ``@ui.page`` (path
parameters included), an API route on ``app``, and NiceGUI's own routes."""

from nicegui import app, ui


@ui.page("/")
def index():
    ui.label("Hello NiceGUI!")


@ui.page("/items/new")
def new_item():
    ui.label("new item")


@ui.page("/items/{item_id}")
def item(item_id: int):
    ui.label(f"item {item_id}")


@app.get("/api/health")
def health():
    return {"ok": True}


app.add_static_files("/assets", __file__.rsplit("/", 1)[0])
