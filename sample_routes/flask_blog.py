"""The seed's Flask routing examples as a real Flask app, with a blueprint and custom converters.

Try it from the repository root (needs Flask: pip install 'routecli[flask]'):

    routecli -r sample_routes.flask_blog:app list
    routecli -r sample_routes.flask_blog:app match GET /blog/posts/42     # get_blog_post, post_id='42'
    routecli -r sample_routes.flask_blog:app match GET /blog/post/foo     # 404: <int:...> wants digits
    routecli -r sample_routes.flask_blog:app match PUT /login             # 405: GET, HEAD, OPTIONS, POST
    routecli -r sample_routes.flask_blog:app match GET /api/tags/flask+python   # tags=['flask', 'python']
    routecli -r sample_routes/flask_blog.py match GET /static/site.css    # Flask's static route

Importing this module only builds the app: nothing is served.
"""

from __future__ import annotations

from flask import Blueprint, Flask, request
from werkzeug.routing import BaseConverter, ValidationError


class SlugConverter(BaseConverter):
    """Lower-case words joined by hyphens: ``my-first-post``."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"


class TagListConverter(BaseConverter):
    """``flask+python`` → ``['flask', 'python']``; at most five tags, else 404."""

    regex = r"[a-z0-9]+(?:\+[a-z0-9]+)*"

    def to_python(self, value: str) -> list[str]:
        tags = value.split("+")
        if len(tags) > 5:
            raise ValidationError()
        return tags

    def to_url(self, value: list[str]) -> str:
        return "+".join(value)


app = Flask(__name__)
app.url_map.converters["slug"] = SlugConverter
app.url_map.converters["tags"] = TagListConverter


# Basic routes: a URL equal to the rule string calls that view.
@app.route("/")
def index():
    return "Index page"


@app.route("/about")
def about():
    return "About page"


# Two rules, one view: /blog/posts gives post_id=None, /blog/posts/42 gives '42'.
@app.route("/blog/posts", defaults={"post_id": None})
@app.route("/blog/posts/<post_id>")
def get_blog_post(post_id):
    return f"Post {post_id}" if post_id is not None else "All posts"


# Typed variable: only digits match, so /blog/post/foo is a 404.
@app.route("/blog/post/<int:post_id>")
def show_post(post_id):
    return f"Post #{post_id}"


# Methods: GET is the default; this one also accepts POST.
@app.route("/blog/new", methods=["GET", "POST"])
def new_post():
    return "Saved" if request.method == "POST" else "New post form"


# One view branching on the method.
@app.route("/login", methods=["GET", "POST"])
def login():
    return "Logging in" if request.method == "POST" else "Login form"


# Same URL, different views by method: valid and intended, not a conflict.
@app.route("/endpoint", methods=["GET"])
def get_endpoint():
    return "GET"


@app.route("/endpoint", methods=["POST", "PUT", "DELETE"])
def post_or_put():
    return request.method


# A blueprint: its endpoints are "api.<view>", its rules start with /api.
api = Blueprint("api", __name__, url_prefix="/api")


@api.get("/posts/<slug:slug>")
def post_by_slug(slug):
    return {"slug": slug}


@api.get("/tags/<tags:tags>")
def posts_by_tags(tags):
    return {"tags": tags}


@api.route("/posts", methods=["GET", "POST"])
def posts():
    return {"posts": []}


app.register_blueprint(api)
