"""Blueprints with stacked decorators and class-based views, for true source lines.

``create_app()`` builds: a blueprint ``shop`` (with a static folder) whose views carry
stacked ``@shop.route`` decorators, a nested blueprint ``shop.admin``, a ``MethodView``
registered twice with ``add_url_rule`` (the Flask docs' list/item pattern), a
class-decorated ``View`` and a ``MethodView`` registered on the app itself. Imported by
tests/sources/test_python_sources.py (each rule's source line) and
tests/differential/test_flask_apps.py (answers as Flask's).
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, Flask
from flask.views import MethodView, View


def logged(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    return wrapper


def tagged(cls):
    cls.tag = "tagged"
    return cls


class ItemAPI(MethodView):
    def get(self, item_id=None):
        return "item" if item_id is not None else "items"

    def post(self):
        return "created"

    def delete(self, item_id):
        return "deleted"


@tagged
class ReportView(View):
    methods = ["GET", "POST"]

    def dispatch_request(self, year):
        return f"report {year}"


class PingAPI(MethodView):
    def get(self):
        return "pong"


def create_app():
    app = Flask(__name__)
    shop = Blueprint("shop", __name__, url_prefix="/shop", static_folder="static",
                     static_url_path="/assets")
    admin = Blueprint("admin", __name__, url_prefix="/admin")

    @shop.route("/")
    @shop.route("/page/<int:page>")
    @shop.route("/all", defaults={"page": 0})
    def catalogue(page=1):
        return f"page {page}"

    @shop.get("/product/<slug>")
    @shop.post("/product/<slug>")
    @logged
    def product(slug):
        return slug

    @admin.route("/orders/<int:order>")
    @admin.route("/orders/")
    def orders(order=None):
        return "orders"

    items = ItemAPI.as_view("items")
    shop.add_url_rule("/items/", view_func=items, methods=["GET", "POST"])
    shop.add_url_rule("/items/<int:item_id>", view_func=items, methods=["GET", "DELETE"])
    admin.add_url_rule("/reports/<int:year>", view_func=ReportView.as_view("reports"))

    shop.register_blueprint(admin)
    app.register_blueprint(shop)
    app.add_url_rule("/ping", view_func=PingAPI.as_view("ping"))
    return app


app = create_app()
