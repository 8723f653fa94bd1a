"""Calibre-Web's Flask app as its ``cps`` script builds it (cps/main.py), without starting
the server or the updater thread; its settings database in a temporary directory."""

import importlib.util
import os
import sys
import tempfile

_home = tempfile.mkdtemp(prefix="calibreweb-")
# Calibre-Web imports itself as the top-level package ``cps`` (its __main__ does the same)
sys.path.insert(0, os.path.dirname(importlib.util.find_spec("calibreweb").origin))
_argv = sys.argv
sys.argv = ["cps", "-p", _home, "-o", os.path.join(_home, "calibre-web.log")]

from cps import create_app, limiter, updater_thread  # noqa: E402
from cps.main import request_username  # noqa: E402

updater_thread.start = lambda: None
app = create_app()
sys.argv = _argv

from cps.about import about  # noqa: E402
from cps.admin import admi  # noqa: E402
from cps.basic import basic  # noqa: E402
from cps.editbooks import editbook  # noqa: E402
from cps.error_handler import init_errorhandler  # noqa: E402
from cps.gdrive import gdrive  # noqa: E402
from cps.jinjia import jinjia  # noqa: E402
from cps.kobo import kobo  # noqa: E402
from cps.kobo_auth import kobo_auth  # noqa: E402
from cps.opds import opds  # noqa: E402
from cps.remotelogin import remotelogin  # noqa: E402
from cps.search import search  # noqa: E402
from cps.search_metadata import meta  # noqa: E402
from cps.shelf import shelf  # noqa: E402
from cps.tasks_status import tasks  # noqa: E402
from cps.web import web  # noqa: E402

init_errorhandler()
for blueprint in (search, tasks, web, basic):
    app.register_blueprint(blueprint)
limiter.limit("3/minute", key_func=request_username)(opds)
for blueprint in (opds, jinjia, about, shelf, admi, remotelogin, meta, gdrive, editbook,
                  kobo, kobo_auth):
    app.register_blueprint(blueprint)
