"""An app whose import takes long (a slow database connection at import time): the
tests interrupt routecli while it imports this module."""

import sys
import time

from flask import Flask

sys.stderr.write("slow_import: importing\n")
sys.stderr.flush()
time.sleep(60)

app = Flask(__name__)
app.add_url_rule("/", "index", lambda: "ok")
