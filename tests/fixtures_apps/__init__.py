"""Small Flask apps and route-data modules that the Python-source tests import."""
