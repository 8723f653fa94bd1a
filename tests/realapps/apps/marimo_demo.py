"""marimo's server app as ``marimo edit`` builds it (``create_starlette_app``), once per
process: its routers are module globals that a second build would extend again."""

from marimo._server.main import create_starlette_app

app = create_starlette_app(base_url="")
