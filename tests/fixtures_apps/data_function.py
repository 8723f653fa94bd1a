"""Route data from a function: routes() returns the whole §2 mapping."""


def routes():
    return {
        "settings": {"strict_slashes": False},
        "routes": [
            {"rule": "/", "endpoint": "index"},
            {"rule": "/feed/", "endpoint": "feed"},
        ],
    }
