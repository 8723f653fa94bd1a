"""Python route sources: route-data modules and live Flask apps (docs/python-sources.md).

:func:`load_python` imports what a spec names and returns a
:class:`~routecli.routing.model.RouteSet`. **Importing a module runs its code**: only
the module the user names is imported (plus whatever that module imports). The steps,
one module each: :mod:`.spec` (what the spec names), :mod:`.importing` (importing and
calling the user's code under guards, errors translated), :mod:`.resolve` (which object
holds the routes), :mod:`.data_module` (route data written in Python),
:mod:`.flask_app` and :mod:`.flask_converters` (a Flask app's ``url_map``),
:mod:`.registration_order` (the order rules were added) and :mod:`.user_code` (which
frames are the user's, for messages and sources).
"""

from __future__ import annotations

from types import ModuleType

from routecli.errors import RouteError
from routecli.routing.model import RouteSet
from routecli.sources.python.importing import import_context, import_module
from routecli.sources.python.resolve import find_by_expression, find_in_module, to_routeset
from routecli.sources.python.spec import module_to_import, parse_expression, split_spec


def load_python(spec: str) -> RouteSet:
    """Import what ``spec`` names and return its routes; raises :class:`RouteError`.

    Errors carry ``source`` = the spec, or ``file:line`` in the user's code when
    known, and are raised ``from`` the original exception (``--debug`` shows it).
    """
    base_dir = getattr(spec, "base_dir", None)  # set for specs read from pyproject.toml
    spec = spec.strip()
    target, expression = split_spec(spec)
    # Parsed before anything is imported: a spec that is not one runs nothing.
    parsed = parse_expression(expression, spec) if expression is not None else None
    module_name, import_dir = module_to_import(target, spec)
    if parsed is None:
        from routecli.sources.python import django_project

        kind = django_project.django_kind(module_name, import_dir or base_dir)
        if kind is not None:
            # Django must be configured before a URLconf is imported (docs/django.md).
            routeset = django_project.load_project(module_name, kind, import_dir or base_dir,
                                                   spec)
            routeset.sources = [spec]
            return routeset
    with import_context(import_dir or base_dir) as recorder:
        module = import_module(module_name, spec)
        if not isinstance(module, ModuleType):  # the module replaced itself in sys.modules
            raise RouteError(f"importing '{module_name}' left {type(module).__name__} in "
                             "sys.modules in place of the module: routecli reads a module",
                             spec)
        if parsed is None:
            obj, label = find_in_module(module, spec)
        else:
            obj, label = find_by_expression(module, module_name, expression, parsed, spec)
        routeset = to_routeset(obj, label, module, spec, recorder)
    routeset.sources = [spec]
    return routeset
