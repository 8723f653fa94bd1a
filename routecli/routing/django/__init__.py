"""Django's URL resolution (``path()``, ``re_path()``, ``include()``), answered exactly
as Django 5.x answers it: first match, include backtracking, converters whose
``to_python`` may reject a value, APPEND_SLASH. See docs/django.md."""
