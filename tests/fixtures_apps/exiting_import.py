"""A module that exits while it is imported (script code without a __main__ guard)."""

import sys

sys.exit(7)
