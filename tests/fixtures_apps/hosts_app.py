"""Host matching: rules match on the full host (static files on their own host)."""

from flask import Blueprint, Flask


def create_app():
    app = Flask(__name__, host_matching=True, static_host="static.example.com",
                static_folder="static")

    def view(**kwargs):
        return "ok"

    app.add_url_rule("/", "home", view, host="example.com")
    app.add_url_rule("/", "tenant_home", view, host="<tenant>.example.com")
    app.add_url_rule("/dash/", "tenant_dash", view, host="<tenant>.example.com")
    app.add_url_rule("/users/<int:id>", "user", view, host="<tenant>.example.com")
    app.add_url_rule("/users/<name>", "user_by_name", view, host="example.com")
    app.add_url_rule("/port", "port", view, host="example.com:8080")
    app.add_url_rule("/nohost", "nohost", view)  # never matches under host matching
    app.add_url_rule("/go/<int:id>", "go", view, host="example.com",
                     redirect_to="/users/<id>")

    api = Blueprint("api", __name__, url_prefix="/api")
    api.add_url_rule("/items/<int:item>", "item", view, host="api.example.com")
    api.add_url_rule("/items/", "items", view, host="api.example.com")
    app.register_blueprint(api)
    return app


app = create_app()
