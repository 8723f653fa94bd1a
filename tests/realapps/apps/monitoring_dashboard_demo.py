"""Flask-MonitoringDashboard bound to a small app (its database in a temporary file)."""

import os
import tempfile

from flask import Flask

os.environ.setdefault("FLASK_MONITORING_DASHBOARD_DATABASE",
                      "sqlite:///" + os.path.join(tempfile.mkdtemp(), "fmd.db"))

import flask_monitoringdashboard as dashboard  # noqa: E402

app = Flask(__name__)


@app.route("/")
def index():
    return "index"


@app.route("/items/<int:item_id>")
def item(item_id):
    return str(item_id)


dashboard.config.database_name = os.environ["FLASK_MONITORING_DASHBOARD_DATABASE"]
dashboard.bind(app)
