"""Rule registration order: recorded by a ``Map.add`` hook, else rebuilt from the trie.

Rule order matters to Werkzeug (rules at the same trie state, and equal-weight
transitions, are tried in registration order), but ``url_map.iter_rules()`` groups
rules by endpoint. While :func:`record_rule_order` is active (``load_python`` records
while it imports and calls factories), ``Map.add`` is wrapped to note each rule and the
:class:`Site` it came from, and Flask's ``Blueprint`` to note where each blueprint was
created and which user line recorded each deferred rule (blueprint rules reach the map
only at registration); Werkzeug and Flask are not imported for this, the wrappers are
installed when they are. :func:`rule_order` uses that record, or derives an equivalent order from
the map's matcher for maps built before recording started
(docs/python-sources.md#what-routecli-reads-from-a-flask-app).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import sys
import weakref
from collections.abc import Iterator
from typing import Any, NamedTuple

from routecli.routing.model import Source
from routecli.sources.python.user_code import code_path, is_user_frame


class Site(NamedTuple):
    """Where a rule came from: ``source`` is a ``file:line``; ``declared`` says it is the
    user's own line that declared the rule (``@app.route``, ``add_url_rule``, ``@bp.route``
    called right there, not through another library or a blueprint built unseen)."""

    source: Source
    declared: bool


class Recorder:
    """Collects, per Werkzeug ``Map``, the rules in the order ``Map.add`` received them,
    with the :class:`Site` each came from."""

    def __init__(self) -> None:
        self.maps: dict[int, tuple[Any, list[tuple[Any, Site | None]]]] = {}

    def note(self, url_map: Any, rule: Any, site: Site | None) -> None:
        """``rule`` was added to ``url_map``, coming from ``site``."""
        entry = self.maps.get(id(url_map))
        if entry is None or entry[0] is not url_map:
            entry = self.maps[id(url_map)] = (url_map, [])
        entry[1].append((rule, site))

    def records_for(self, url_map: Any) -> list[tuple[Any, Site | None]] | None:
        """``(rule, site)`` in the order added to ``url_map``; None if it was never seen."""
        entry = self.maps.get(id(url_map))
        return entry[1] if entry is not None and entry[0] is url_map else None


_ACTIVE: list[Recorder] = []
_ORIGINAL_ADD: Any = None
_PATCHED: Any = None  # the Map class whose add is wrapped
_WATCHER: Any = None
# Orders recorded for maps, kept after the recording ends (weakly).
_RECORDED: weakref.WeakKeyDictionary[Any, list] = weakref.WeakKeyDictionary()
# Blueprints defer their rules: where each deferred function was recorded (the user's
# @bp.route line), and where each blueprint was created (its static rule's site).
_DEFERRED_SITES: weakref.WeakKeyDictionary[Any, Site | None] = weakref.WeakKeyDictionary()
_BLUEPRINT_SITES: weakref.WeakKeyDictionary[Any, Source] = weakref.WeakKeyDictionary()
_BLUEPRINT_PATCH: list[tuple[Any, str, Any, bool]] = []  # (class, name, original, own)
_APP_MODULES = frozenset({"flask.app", "flask.sansio.app"})
_BLUEPRINT_MODULES = frozenset({"flask.blueprints", "flask.sansio.blueprints"})


def _is_flask_frame(frame) -> bool:
    return (frame.f_globals.get("__name__") or "").split(".")[0] in ("flask", "werkzeug")


def _user_site(frame) -> Site | None:
    """The innermost user frame from ``frame`` outwards; ``declared`` when only Flask's
    and Werkzeug's frames lie between."""
    declared = True
    while frame is not None:
        if is_user_frame(frame):
            return Site(Source(code_path(frame.f_code.co_filename), frame.f_lineno), declared)
        if not _is_flask_frame(frame):
            declared = False
        frame = frame.f_back
    return None


def _constructor_site(frame, obj: Any) -> Source | None:
    """The line that called the constructor of ``obj`` (an app or a blueprint), in any
    code: the first frame outside Flask and outside ``__init__`` methods of ``obj``
    (a subclass's constructor)."""
    while frame is not None:
        if not _is_flask_frame(frame) and not (
                frame.f_code.co_name == "__init__" and frame.f_locals.get("self") is obj):
            if frame.f_code.co_filename.startswith("<"):
                return None
            return Source(code_path(frame.f_code.co_filename), frame.f_lineno)
        frame = frame.f_back
    return None


def _registration_site() -> Site | None:
    """Where the rule ``Map.add`` is adding now comes from: a blueprint rule's deferred
    ``@bp.route``/``add_url_rule`` line, a static rule's ``Flask(...)``/``Blueprint(...)``
    call, else the innermost user frame (other libraries' frames may lie between)."""
    frame = sys._getframe(2)
    declared = True
    while frame is not None:
        if is_user_frame(frame):
            return Site(Source(code_path(frame.f_code.co_filename), frame.f_lineno), declared)
        if not _is_flask_frame(frame):
            declared = False  # another library (Flask-Admin, flask-restx) added the rule
        elif frame.f_code.co_name == "__init__" and frame.f_globals.get("__name__") in \
                _APP_MODULES:  # the app's static rule
            created = _constructor_site(frame, frame.f_locals.get("self"))
            if created is not None:
                return Site(created, False)
        elif frame.f_code.co_name == "register" and frame.f_globals.get("__name__") in \
                _BLUEPRINT_MODULES:
            local = frame.f_locals
            if "deferred" in local:  # the loop running the blueprint's deferred functions
                try:
                    if local["deferred"] in _DEFERRED_SITES:
                        return _DEFERRED_SITES[local["deferred"]]
                except TypeError:  # not weakly referable
                    pass
            else:  # before that loop, register adds the blueprint's static rule
                created = _BLUEPRINT_SITES.get(local.get("self"))
                if created is not None:
                    return Site(created, False)
            declared = False  # a blueprint built before recording: its lines are unknown
        frame = frame.f_back
    return None


def _recording_add(self, rulefactory) -> None:
    from werkzeug.routing import Rule

    site = _registration_site()
    if isinstance(rulefactory, Rule):
        _ORIGINAL_ADD(self, rulefactory)
        added = [rulefactory]
    else:
        # Rule factories (Submount, EndpointPrefix...) make new rules on every call of
        # get_rules, so add them one by one: Map.add does exactly this loop.
        added = []
        for rule in rulefactory.get_rules(self):
            _ORIGINAL_ADD(self, rule)
            added.append(rule)
    for rule in added:
        for recorder in _ACTIVE:
            recorder.note(self, rule, site)
        try:
            _RECORDED.setdefault(self, []).append((rule, site))
        except TypeError:  # a Map subclass that cannot be weakly referenced
            pass


def _patch(map_class: Any) -> None:
    global _ORIGINAL_ADD, _PATCHED
    if _PATCHED is None:
        _ORIGINAL_ADD = map_class.add
        map_class.add = _recording_add
        _PATCHED = map_class


def _patch_blueprint(blueprint_class: Any) -> None:
    """Wrap ``Blueprint.__init__`` (to note where each blueprint is created) and
    ``Blueprint.record`` (to note the user line behind each deferred function)."""
    if _BLUEPRINT_PATCH:
        return
    original_init = blueprint_class.__init__
    original_record = blueprint_class.record

    @functools.wraps(original_init)
    def __init__(self, *args, **kwargs):
        with contextlib.suppress(Exception):  # noting must never break the user's code
            site = _constructor_site(sys._getframe(1), self)
            if site is not None:
                _BLUEPRINT_SITES[self] = site
        original_init(self, *args, **kwargs)

    @functools.wraps(original_record)
    def record(self, func):
        with contextlib.suppress(Exception):
            _DEFERRED_SITES[func] = _user_site(sys._getframe(1))
        return original_record(self, func)

    for name, original, wrapper in (("__init__", original_init, __init__),
                                    ("record", original_record, record)):
        _BLUEPRINT_PATCH.append((blueprint_class, name, original,
                                 name in blueprint_class.__dict__))
        setattr(blueprint_class, name, wrapper)


def _unpatch() -> None:
    global _ORIGINAL_ADD, _PATCHED
    if _PATCHED is not None:
        if _PATCHED.__dict__.get("add") is _recording_add:
            _PATCHED.add = _ORIGINAL_ADD
        _PATCHED = _ORIGINAL_ADD = None
    while _BLUEPRINT_PATCH:
        blueprint_class, name, original, own = _BLUEPRINT_PATCH.pop()
        if own:
            setattr(blueprint_class, name, original)
        else:
            delattr(blueprint_class, name)


# Module -> how to patch it once imported.
_WATCHED = {"werkzeug.routing.map": lambda module: _patch(module.Map),
            "flask.blueprints": lambda module: _patch_blueprint(module.Blueprint)}


class _WerkzeugWatcher:
    """A meta-path finder that wraps ``Map.add`` (and Flask's ``Blueprint``) as soon as
    their modules are imported, so that route-data modules never pay for importing
    Werkzeug."""

    _busy = False

    def find_spec(self, name, path=None, target=None):
        if name not in _WATCHED or self._busy:
            return None
        import importlib.util

        self._busy = True
        try:
            spec = importlib.util.find_spec(name)
        finally:
            self._busy = False
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        spec.loader = _PatchingLoader(spec.loader, _WATCHED[name])
        return spec


class _PatchingLoader:
    def __init__(self, inner, patch) -> None:
        self._inner = inner
        self._patch = patch

    def create_module(self, spec):
        return self._inner.create_module(spec)

    def exec_module(self, module) -> None:
        self._inner.exec_module(module)
        if _ACTIVE:
            self._patch(module)

    def __getattr__(self, name):
        return getattr(self._inner, name)


@contextlib.contextmanager
def record_rule_order() -> Iterator[Recorder]:
    """While active, ``werkzeug.routing.Map.add`` records the order (and the user-code
    ``file:line``) in which rules are added to every map; restored afterwards.

    Werkzeug is not imported for this: if it is not imported yet, the wrapper is
    installed when it is.
    """
    global _WATCHER
    recorder = Recorder()
    _ACTIVE.append(recorder)
    if len(_ACTIVE) == 1:
        missing = False
        for name, patch in _WATCHED.items():
            module = sys.modules.get(name)
            if module is not None:
                patch(module)
            else:
                missing = True
        if missing:
            _WATCHER = _WerkzeugWatcher()
            sys.meta_path.insert(0, _WATCHER)
    try:
        yield recorder
    finally:
        _ACTIVE.remove(recorder)
        if not _ACTIVE:
            _unpatch()
            if _WATCHER is not None:
                with contextlib.suppress(ValueError):
                    sys.meta_path.remove(_WATCHER)
                _WATCHER = None


def rule_order(url_map: Any, recorder: Recorder | None = None
               ) -> tuple[list[Any], dict[int, Site | None], str]:
    """The map's rules in an order that rebuilds Werkzeug's matcher exactly.

    Returns ``(rules, sites, how)``: ``sites`` maps ``id(rule)`` to the :class:`Site` it
    came from (when recorded); ``how`` is ``"recorded"`` or ``"derived"``.

    * **recorded**: the order ``Map.add`` saw while :func:`record_rule_order` was
      active (``load_python`` always records while it imports and calls factories),
      used when it covers exactly the map's rules;
    * **derived**, for maps built before recording started (e.g. a module that was
      already imported): a depth-first walk of ``url_map._matcher._root`` (the
      rules of each state in order, static children, then dynamic transitions in
      their sorted order, which keeps the trie's tie order), adjusted by a greedy
      pass so that (a) the rules of every state keep their order, (b) equal-weight
      transitions are created in their sorted order, and (c) rules of one endpoint
      that tie in Werkzeug's build order keep their order in
      ``url_map._rules_by_endpoint`` (which is registration order for ties; it
      decides ``redirect_defaults`` and alias targets). Matching and building then
      behave exactly as in the app; only the listed definition order may differ
      from the registration order.
    """
    url_map.update()
    rules = [rule for rules in url_map._rules_by_endpoint.values() for rule in rules]
    ids = {id(rule) for rule in rules}
    for records in (recorder.records_for(url_map) if recorder is not None else None,
                    _RECORDED.get(url_map) if _weakrefable(url_map) else None):
        if records and len(records) == len(rules) and {id(r) for r, _ in records} == ids:
            return [r for r, _ in records], {id(r): site for r, site in records}, "recorded"
    return _derived_order(url_map, rules), {}, "derived"


def _weakrefable(obj: Any) -> bool:
    try:
        weakref.ref(obj)
    except TypeError:
        return False
    return True


def _derived_order(url_map: Any, rules: list[Any]) -> list[Any]:
    root = url_map._matcher._root
    preferred: list[Any] = []
    state_previous: dict[int, Any] = {}
    paths: dict[int, tuple] = {}  # id(rule) -> transitions (as keys) on its way
    tie_previous: dict[tuple, tuple] = {}  # transition -> the equal-weight one sorted before it
    stack: list[tuple[Any, tuple]] = [(root, ())]
    while stack:
        state, path = stack.pop()
        previous = None
        for rule in state.rules:
            preferred.append(rule)
            paths[id(rule)] = path
            if previous is not None:
                state_previous[id(rule)] = previous
            previous = rule
        children: list[tuple[Any, tuple]] = [(child, path) for child in state.static.values()]
        for index, (part, child) in enumerate(state.dynamic):
            key = (id(state), index)
            if index and state.dynamic[index - 1][0].weight == part.weight:
                tie_previous[key] = (id(state), index - 1)
            children.append((child, path + (key,)))
        stack.extend(reversed(children))
    in_trie = {id(rule) for rule in preferred}
    preferred += [rule for rule in rules if id(rule) not in in_trie]  # build_only rules
    endpoint_previous: dict[int, Any] = {}
    for group in url_map._rules_by_endpoint.values():
        for before, after in itertools.pairwise(group):
            if before.build_compare_key() == after.build_compare_key():
                endpoint_previous[id(after)] = before

    emitted: set[int] = set()
    existing: set[tuple] = set()

    def ready(rule) -> bool:
        for previous in (state_previous.get(id(rule)), endpoint_previous.get(id(rule))):
            if previous is not None and id(previous) not in emitted:
                return False
        for key in paths.get(id(rule), ()):
            if key not in existing:
                tie = tie_previous.get(key)
                if tie is not None and tie not in existing:
                    return False
        return True

    order: list[Any] = []
    done = [False] * len(preferred)
    start = 0  # the first rule not emitted yet
    while start < len(preferred):
        position = start
        while position < len(preferred) and (done[position] or not ready(preferred[position])):
            position += 1
        if position == len(preferred):  # pragma: no cover - impossible for a map Werkzeug built
            order.extend(rule for rule, is_done in zip(preferred, done) if not is_done)
            break
        rule = preferred[position]
        done[position] = True
        order.append(rule)
        emitted.add(id(rule))
        existing.update(paths.get(id(rule), ()))
        while start < len(preferred) and done[start]:
            start += 1
    return order
