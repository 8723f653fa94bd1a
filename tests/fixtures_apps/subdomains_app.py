"""Subdomain matching under SERVER_NAME, with subdomain blueprints."""

from flask import Blueprint, Flask


def create_app(default_subdomain=""):
    app = Flask(__name__, subdomain_matching=True, static_folder="static")
    app.config["SERVER_NAME"] = "example.com"
    app.url_map.default_subdomain = default_subdomain

    def view(**kwargs):
        return "ok"

    app.add_url_rule("/", "index", view)
    app.add_url_rule("/", "user_home", view, subdomain="<user>")
    app.add_url_rule("/posts/<int:id>", "user_post", view, subdomain="<user>")
    app.add_url_rule("/dir/", "www_dir", view, subdomain="www")
    app.add_url_rule("/about", "about", view)

    api = Blueprint("api", __name__, subdomain="api", url_prefix="/v2")
    api.add_url_rule("/items/<int:item>", "item", view)
    api.add_url_rule("/items/", "items", view, methods=["GET", "POST"])
    nested = Blueprint("nested", __name__, url_prefix="/n")
    nested.add_url_rule("/x", "x", view)
    api.register_blueprint(nested)  # api.nested.x on api.example.com/v2/n/x
    app.register_blueprint(api)
    outer = Blueprint("outer", __name__, subdomain="shop")
    inner = Blueprint("inner", __name__, url_prefix="/cart")
    inner.add_url_rule("/<int:line>", "line", view)
    outer.register_blueprint(inner)
    app.register_blueprint(outer)
    return app


app = create_app()
