"""From an imported module and a spec to the object that holds the routes, and its routes.

Like ``flask --app``: ``pkg.mod`` alone means the module's Flask app (the attribute
``app`` or ``application``, else the only Flask instance among its attributes), else its
route data (``ROUTES`` or a function ``routes()``), else an app factory
``create_app``/``make_app`` called with no arguments. ``pkg.mod:name`` names a Flask
app, an app factory or data function (called with no arguments), route data, a Werkzeug
``Map`` or a :class:`~routecli.routing.model.RouteSet`
(docs/python-sources.md#spec-forms-resolved-like-flask---app).
Flask and Werkzeug are never imported here: an object is an app only if the user's
code has imported Flask.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Mapping
from typing import Any

from routecli.errors import RouteError
from routecli.routing.model import RouteSet
from routecli.sources.python.data_module import routeset_from_module, routeset_from_value
from routecli.sources.python.importing import call_user
from routecli.sources.python.registration_order import Recorder
from routecli.sources.python.spec import Expression
from routecli.sources.python.user_code import is_internal_module, what_it_is

WRONG_KIND = "not a Flask app, an app factory or route data"


def _flask_class():
    flask = sys.modules.get("flask")
    return getattr(flask, "Flask", None) if flask is not None else None


def _is_app(obj: Any) -> bool:
    cls = _flask_class()
    return (cls is not None and isinstance(obj, cls)) or _other_dialect(obj) is not None


def _other_dialect(obj: Any):
    """The app-source module of another dialect that recognises ``obj`` (a Starlette or
    FastAPI app), or None."""
    from routecli.routing.dialects import app_sources

    for source in app_sources():
        if source.is_app(obj):
            return source
    return None


def _is_map(obj: Any) -> bool:
    module = sys.modules.get("werkzeug.routing.map")
    return module is not None and isinstance(obj, module.Map)


def _is_factory(obj: Any) -> bool:
    import functools

    return inspect.isfunction(obj) or inspect.ismethod(obj) or isinstance(obj, functools.partial)


def check_own_factory(obj: Any, module_name: str, name: str, spec: str) -> None:
    """Refuse to call ``obj`` unless it is a Python function that ``module_name``'s own
    code defines (in that module or its package), outside the standard library: a spec
    string such as ``os:system('...')`` must never run anything else
    (docs/python-sources.md#spec-forms-resolved-like-flask---app)."""
    import functools

    func = obj
    while isinstance(func, functools.partial):
        func = func.func
    func = getattr(func, "__func__", func)  # a bound method: the function it binds
    shown = f"'{module_name}:{name}'"
    # flask --app calls any Python function it finds; routecli is stricter (docs link above)
    rule = "routecli calls only Python functions that the named module itself defines"
    if not inspect.isfunction(func):
        raise RouteError(f"{shown} is not a factory defined in '{module_name}' "
                         f"({_kind_of_callable(func)}): {rule}", spec)
    top = module_name.split(".")[0]
    if top in sys.stdlib_module_names or is_internal_module(module_name):
        owner = "Python's standard library" if top in sys.stdlib_module_names else f"'{top}'"
        raise RouteError(f"{shown} belongs to {owner}, not to an app: routecli never calls "
                         "functions of the standard library, Flask, Werkzeug or routecli", spec)
    defined_in = getattr(func, "__module__", None) or "an unknown module"
    package = module_name.rpartition(".")[0] or module_name
    if defined_in != package and not defined_in.startswith(package + "."):
        raise RouteError(f"{shown} is not a factory defined in '{module_name}' (it is defined "
                         f"in '{defined_in}'): {rule}; name that module instead "
                         f"(-r '{defined_in}:{name}(...)')", spec)


def _kind_of_callable(obj: Any) -> str:
    if inspect.isbuiltin(obj) or inspect.ismethoddescriptor(obj):
        return "it is a built-in function"
    if isinstance(obj, type):
        return f"it is the class {obj.__name__}"
    return f"it is {what_it_is(obj)}"


def find_in_module(module, spec: str) -> tuple[Any, str]:
    """``flask --app pkg.mod``: an app, else route data, else an app factory."""
    name = module.__name__
    for attr in ("app", "application"):
        obj = getattr(module, attr, None)
        if _is_app(obj):
            return obj, f"{name}:{attr}"
    apps: dict[int, tuple[str, Any]] = {}
    for attr, value in vars(module).items():
        if _is_app(value):
            apps.setdefault(id(value), (attr, value))
    if len(apps) == 1:
        attr, obj = next(iter(apps.values()))
        return obj, f"{name}:{attr}"
    if len(apps) > 1:
        names = sorted(attr for attr, _ in apps.values())
        raise RouteError(
            f"module '{name}' holds {len(names)} Flask apps ({', '.join(names)}): name one, "
            f"e.g. '{name}:{names[0]}'",
            spec,
        )
    namespace = vars(module)
    if "ROUTES" in namespace or inspect.isfunction(namespace.get("routes")):
        return _ModuleData(module), name
    for attr in ("create_app", "make_app"):
        factory = namespace.get(attr)
        if inspect.isfunction(factory):
            label = f"{name}:{attr}()"
            result = call_user(factory, (), {}, label, name, attr, spec)
            if not _is_app(result):
                raise RouteError(f"'{label}' returned {what_it_is(result)}, not a Flask app",
                                 spec)
            return result, label
    raise RouteError(
        f"module '{name}' has no Flask app ('app', 'application' or a single Flask instance), "
        "no route data (ROUTES or routes()) and no app factory (create_app or make_app)"
        f"{_misspelt_hint(module)}; name the object, e.g. '{name}:app'",
        spec,
    )


def _misspelt_hint(module) -> str:
    """A module that defines e.g. ``ROUTS`` but not ``ROUTES``: say so."""
    import difflib

    for wanted, names in (("ROUTES", [n for n in vars(module) if n.isupper()]),
                          ("routes", [n for n in vars(module) if n.islower()])):
        close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.8)
        if close:
            return f" (it defines {close[0]}: did you mean {wanted}?)"
    return ""


def find_by_expression(module, module_name: str, expression: str, parsed: Expression,
                       spec: str) -> tuple[Any, str]:
    """``pkg.mod:name``, ``pkg.mod:obj.attr`` or ``pkg.mod:factory(literal args)``, as
    :func:`~.spec.parse_expression` parsed ``expression``."""
    name, call, args, kwargs = parsed.name, parsed.is_call, parsed.args, parsed.kwargs
    attributes = parsed.attributes
    try:
        obj = getattr(module, name)
    except AttributeError:
        raise RouteError(f"module '{module_name}' has no attribute '{name}'"
                         f"{_did_you_mean(name, module)}", spec) from None
    for attribute in attributes:
        try:
            obj = getattr(obj, attribute)
        except Exception as exc:  # noqa: BLE001 - a property of user code may raise
            raise RouteError(f"'{name}' has no attribute '{attribute}' "
                             f"({type(exc).__name__})", spec) from exc
        name = f"{name}.{attribute}"
    label = f"{module_name}:{expression}" if call else f"{module_name}:{name}"
    if call:
        if not callable(obj) or _is_app(obj):
            raise RouteError(f"'{module_name}:{name}' is {what_it_is(obj)}, "
                             "not a function to call", spec)
        check_own_factory(obj, module_name, name, spec)
        result = call_user(obj, args, kwargs, label, module_name, name, spec)
        return _Returned(result, label), label
    if _is_factory(obj) or inspect.isroutine(obj):
        check_own_factory(obj, module_name, name, spec)
        result = call_user(obj, (), {}, f"{label}()", module_name, name, spec)
        return _Returned(result, f"{label}()"), label
    return obj, label


def _did_you_mean(name: str, module) -> str:
    import difflib

    candidates = [n for n in dir(module) if not n.startswith("__")]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    apps = [n for n in candidates if _is_app(getattr(module, n, None))]
    if apps:
        return f" (it has the {_framework_of(getattr(module, apps[0]))} app '{apps[0]}')"
    return ""


def _framework_of(app: Any) -> str:
    """"Flask", "FastAPI" or "Starlette": which framework's app ``app`` is, for messages."""
    flask = _flask_class()
    if flask is not None and isinstance(app, flask):
        return "Flask"
    fastapi = getattr(sys.modules.get("fastapi"), "FastAPI", None)
    return "FastAPI" if isinstance(fastapi, type) and isinstance(app, fastapi) else "Starlette"


class _Returned:
    """What a factory or data function returned (for better messages)."""

    def __init__(self, value: Any, label: str) -> None:
        self.value = value
        self.label = label


class _ModuleData:
    """A module holding route data: ROUTES (+ SETTINGS, CONVERTERS) or routes()."""

    def __init__(self, module) -> None:
        self.module = module


def to_routeset(obj: Any, label: str, module, spec: str, recorder: Recorder) -> RouteSet:
    """The routes of what :func:`find_in_module` or :func:`find_by_expression` found."""
    returned = isinstance(obj, _Returned)
    value = obj.value if returned else obj
    if isinstance(value, _ModuleData):
        return routeset_from_module(value.module, spec)
    other = _other_dialect(value)
    if other is not None:
        return other.routeset_from_app(value)
    if _is_app(value):
        from routecli.sources.python.flask_app import routeset_from_app

        return routeset_from_app(value, recorder=recorder)
    if _is_map(value):
        from routecli.sources.python.flask_app import routeset_from_map

        return routeset_from_map(value, recorder=recorder)
    if isinstance(value, RouteSet):
        return value
    if isinstance(value, (Mapping, list, tuple)) and not isinstance(value, str):
        name = label.split(":", 1)[1].split("(", 1)[0]
        return routeset_from_value(value, name, module, returned)
    if returned:
        raise RouteError(f"'{obj.label}' returned {what_it_is(value)}, "
                         "not a Flask app or route data", spec)
    shown = label.split(":", 1)[1] if ":" in label else label
    hint = ""
    for attribute in ("server", "app", "flask_app", "wsgi_app"):
        # Dash keeps its Flask app in .server, connexion's FlaskApp in .app.
        if _is_app(getattr(value, attribute, None)):
            hint = f"; its Flask app is '{shown}.{attribute}': use -r '{spec}.{attribute}'"
            break
    raise RouteError(f"'{shown}' is {what_it_is(value)}, {WRONG_KIND}{hint}", spec)
