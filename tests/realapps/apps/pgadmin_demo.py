"""pgAdmin 4's Flask app in desktop mode, its data directory in a temporary directory."""

import importlib.util
import os
import sys
import tempfile

_home = tempfile.mkdtemp(prefix="pgadmin-")
os.environ["HOME"] = _home
_root = os.path.dirname(importlib.util.find_spec("pgadmin4.config").origin)
sys.path.insert(0, _root)  # pgAdmin imports its config and packages from its own directory

import config  # noqa: E402

config.SERVER_MODE = False
config.DATA_DIR = _home
config.SQLITE_PATH = os.path.join(_home, "pgadmin4.db")
config.SESSION_DB_PATH = os.path.join(_home, "sessions")
config.STORAGE_DIR = os.path.join(_home, "storage")
config.LOG_FILE = os.path.join(_home, "pgadmin4.log")
config.KERBEROS_CCACHE_DIR = os.path.join(_home, "krbccache")
config.AZURE_CREDENTIAL_CACHE_DIR = os.path.join(_home, "azurecredentialcache")
config.TEST_SQLITE_PATH = os.path.join(_home, "test_pgadmin4.db")

from pgadmin import create_app  # noqa: E402

app = create_app()
