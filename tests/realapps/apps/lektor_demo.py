"""Lektor's admin server (``lektor server``'s Flask app, WebUI) over a one-page project
made in a temporary directory."""

import os
import tempfile

from lektor.admin.webui import WebUI
from lektor.environment import Environment
from lektor.project import Project

_root = tempfile.mkdtemp(prefix="lektor-")
with open(os.path.join(_root, "demo.lektorproject"), "w") as f:
    f.write("[project]\nname = demo\n")
os.makedirs(os.path.join(_root, "content"))
with open(os.path.join(_root, "content", "contents.lr"), "w") as f:
    f.write("title: Home\n")

_env = Environment(Project.discover(_root), load_plugins=False)
app = WebUI(_env, output_path=os.path.join(_root, "build"))
