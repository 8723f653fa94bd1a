"""Route data from a function: routes() returns the whole route-file mapping."""


def routes():
    return {
        "settings": {"strict_slashes": False},
        "routes": [
            {"rule": "/", "endpoint": "index"},
            {"rule": "/feed/", "endpoint": "feed"},
        ],
    }
