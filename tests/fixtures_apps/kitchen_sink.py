"""A Flask app using most of what routing offers; ``create_app(...)`` builds a fresh one.

Imported by tests/sources/test_python_sources.py and tests/differential/test_flask_apps.py. ``app`` is one
built at import time with the defaults.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, Flask
from flask.views import MethodView
from werkzeug.routing import BaseConverter, ValidationError


class SlugConverter(BaseConverter):
    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"


class ListConverter(BaseConverter):
    """``a,b,c`` → ``['a', 'b', 'c']``; more than three items is a 404."""

    regex = r"[^/,]+(?:,[^/,]+)*"

    def to_python(self, value):
        items = value.split(",")
        if len(items) > 3:
            raise ValidationError()
        return items

    def to_url(self, value):
        return ",".join(value)


class EvenConverter(BaseConverter):
    """Same regex and weight as int (so it shares int's transition), only even numbers."""

    regex = r"\d+"
    weight = 50

    def to_python(self, value):
        number = int(value)
        if number % 2:
            raise ValidationError()
        return number

    def to_url(self, value):
        return str(value)


class SpanConverter(BaseConverter):
    """Two lower-case words across a slash: the "/" makes it part_isolating=False."""

    regex = r"[a-z]+/[a-z]+"
    weight = 150


class LowerConverter(BaseConverter):
    """No "/" in the regex, but explicitly not part-isolating."""

    regex = "[a-z]+"
    part_isolating = False


class FixedConverter(BaseConverter):
    """The regex is set per instance, from an argument: ``<fixed(3):code>``."""

    def __init__(self, map, length):
        super().__init__(map)
        self.regex = f"[a-z]{{{int(length)}}}"


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    return wrapper


class ThingAPI(MethodView):
    def get(self, thing_id):
        return f"thing {thing_id}"

    def put(self, thing_id):
        return "updated"


def create_app(strict_slashes=True, merge_slashes=True, redirect_defaults=True, static=True,
               automatic_options=True):
    app = Flask(__name__, static_folder="static" if static else None)
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = automatic_options
    # Set after Flask added the static rule, which keeps the settings it was bound with.
    app.url_map.strict_slashes = strict_slashes
    app.url_map.merge_slashes = merge_slashes
    app.url_map.redirect_defaults = redirect_defaults
    app.url_map.converters.update(slug=SlugConverter, list=ListConverter, even=EvenConverter,
                                  span=SpanConverter, lower=LowerConverter, fixed=FixedConverter)

    def view(**kwargs):
        return "ok"

    @app.route("/")
    def index():
        return "index"

    @app.route("/about/")
    def about():
        return "about"

    @app.route("/users/<int:id>")
    @app.route("/users/<name>")
    def user(id=None, name=None):
        return "user"

    app.add_url_rule("/u/<int:id>", "user", user, alias=True)

    @app.route("/posts/", defaults={"page": 1})
    @app.route("/posts/page/<int:page>")
    def posts(page):
        return f"page {page}"

    app.add_url_rule("/old/<slug:slug>", "old", view, redirect_to="/posts/<slug>")
    app.add_url_rule("/legacy/<int:id>", "legacy", view,
                     redirect_to=lambda adapter, id: f"/users/{id}")
    app.add_url_rule("/feed", "feed", view, strict_slashes=False)
    app.add_url_rule("/tree/", "tree", view, strict_slashes=False)
    app.add_url_rule("/strict/", "strict", view, strict_slashes=True)
    app.add_url_rule("/items", "items", view, methods=["GET", "POST"])
    app.add_url_rule("/items", "items_put", view, methods=["PUT"])
    app.add_url_rule("/cors", "cors", view, methods=["GET", "OPTIONS"])
    app.add_url_rule("/nopts", "nopts", view, methods=["POST"], provide_automatic_options=False)
    app.add_url_rule("/forced", "forced", view, methods=["GET"], provide_automatic_options=True)
    app.add_url_rule("/nothing", "nothing", view, methods=[])
    app.add_url_rule("/tags/<list:tags>", "tags", view)
    app.add_url_rule("/n/<even:n>", "even", view)
    app.add_url_rule("/n/<int:n>", "int", view)
    app.add_url_rule("/n/<x>", "str", view)
    app.add_url_rule("/files/<span:sp>/raw", "span", view)
    app.add_url_rule("/files/<path:p>", "files", view)
    app.add_url_rule("/low/<lower:word>/end", "lower", view)
    app.add_url_rule("/fixed/<fixed(3):code>", "fixed", view)
    app.add_url_rule("/a/<x>/edit", "seg_edit", view)
    app.add_url_rule("/a/<path:p>/edit", "path_edit", view)
    app.add_url_rule("/lang/<any(en, fr, 'de-ch'):lang>/", "lang", view)
    app.add_url_rule("/obj/<uuid:u>", "obj", view)
    app.add_url_rule("/price/<float(max=100.0):p>", "price", view)
    app.add_url_rule("/cc/<string(length=2):cc>", "cc", view)
    app.add_url_rule("/short/<string(minlength=2, maxlength=4):s>", "short", view)
    app.add_url_rule("/signed/<int(signed=True, min=0):v>", "signed", view)
    app.add_url_rule("/pad/<int(fixed_digits=3):v>", "pad", view)
    app.add_url_rule("/report-<int:year>.<any(csv,json):fmt>", "report", view)
    app.add_url_rule("/raw//double", "double", view, merge_slashes=False)
    app.add_url_rule("/merge//me", "merge_me", view, merge_slashes=True)
    app.add_url_rule("/lang-default", "lang_page", view, defaults={"lang": "en"})
    app.add_url_rule("/lang-page/<lang>", "lang_page", view)
    app.add_url_rule("/over/<a>", "override", view, defaults={"a": "zz"})
    app.add_url_rule("/build-only/<x>", "build_only", view, build_only=True)
    app.add_url_rule("/any-method", "any_method", view, methods=["GET", "POST", "PUT", "DELETE",
                                                                  "PATCH", "BREW"])

    @app.route("/secret")
    @login_required
    def secret():
        return "secret"

    app.add_url_rule("/things/<int:thing_id>", view_func=ThingAPI.as_view("thing"))

    admin = Blueprint("admin", __name__, url_prefix="/admin")

    @admin.route("")
    def home():
        return "admin"

    @admin.route("/settings/", strict_slashes=False)
    def settings():
        return "settings"

    members = Blueprint("members", __name__, url_prefix="/members")

    @members.get("/<int:member_id>")
    def member(member_id):
        return "member"

    @members.post("/")
    def create_member():
        return "created"

    admin.register_blueprint(members)
    app.register_blueprint(admin)

    api = Blueprint("api", __name__, subdomain="api")

    @api.route("/status")
    def status():
        return "status"

    app.register_blueprint(api, url_prefix="/v1")

    shop = Blueprint("shop", __name__, url_prefix="/shop/")

    @shop.route("")
    def shop_index():
        return "shop"

    @shop.route("/<slug:item>")
    def shop_item(item):
        return item

    app.register_blueprint(shop)
    return app


app = create_app()
