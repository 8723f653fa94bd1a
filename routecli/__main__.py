"""``python -m routecli``."""

import os
import sys

# `python -m` puts the current directory first on sys.path: a json.py or yaml.py there
# would be imported in place of the library's own, running its code on every command.
# routecli puts the directory back itself, only while it imports an app
# (sources/python/importing.py), as when run as the `routecli` script.
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from routecli.cli import main  # noqa: E402 - after the path is made safe

if __name__ == "__main__":
    main()
