"""changedetection.io's Flask app over an empty datastore in a temporary directory."""

import tempfile

from changedetectionio import __version__, store
from changedetectionio.flask_app import changedetection_app

_path = tempfile.mkdtemp(prefix="changedetection-")
datastore = store.ChangeDetectionStore(datastore_path=_path, version_tag=__version__,
                                       include_default_watches=False)
app = changedetection_app({"datastore_path": _path}, datastore)
