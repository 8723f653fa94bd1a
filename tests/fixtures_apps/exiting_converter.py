"""An app whose converter calls sys.exit() while a URL is matched."""

import sys

from flask import Flask
from werkzeug.routing import BaseConverter


class ExitingConverter(BaseConverter):
    def to_python(self, value):
        sys.exit(7)


app = Flask(__name__)
app.url_map.converters["exiting"] = ExitingConverter
app.add_url_rule("/item/<exiting:item>", "item", lambda item: "ok")
app.add_url_rule("/", "index", lambda: "ok")
