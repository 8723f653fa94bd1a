"""Shared test configuration.

Hypothesis: no per-example deadline (CI machines are slow and noisy) and a printed
reproduction blob on failure, so a CI failure can be replayed locally with
``@reproduce_failure``. ``HYPOTHESIS_PROFILE=dev`` keeps Hypothesis' own defaults.
"""

import os

import pytest
from hypothesis import settings

settings.register_profile("routecli", deadline=None, print_blob=True)
settings.register_profile("dev")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "routecli"))


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A parsed-file cache of the test's own (sources/cache.py), switched on."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("ROUTECLI_CACHE_DIR", str(directory))
    monkeypatch.delenv("ROUTECLI_NO_CACHE", raising=False)
    return directory
