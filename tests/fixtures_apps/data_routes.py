"""Route data as a module: ROUTES, SETTINGS and CONVERTERS (docs/sources.md#route-file-schema)."""

SETTINGS = {"strict_slashes": True, "merge_slashes": True}

CONVERTERS = {
    "slug": {"regex": "[a-z0-9-]+"},
}

INDEX = {"rule": "/", "endpoint": "index"}

ROUTES = [
    INDEX,
    {"rule": "/about", "endpoint": "about"},
    {
        "rule": "/blog/posts",
        "endpoint": "get_blog_post",
        "defaults": {"post_id": None},
    },
    dict(rule="/blog/posts/<post_id>", endpoint="get_blog_post"),  # noqa: C408 - on purpose
    {"rule": "/blog/new", "endpoint": "new_post", "methods": ("GET", "POST")},
    {"rule": "/p/<slug:slug>", "endpoint": "page"},
]
