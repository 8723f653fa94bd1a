"""A cache of parsed route files, keyed by their content (like ruff's cache).

Parsing a large YAML file costs far more than using it, so a validated file
is stored as plain data (``marshal``) under a key made of routecli's version,
the Python version, the file's path and its bytes. A changed file gets a new
key; stale entries are simply never read again (and are pruned when the
directory grows). Only route files are cached, never Python sources (their
routes depend on code), and only files of at least :data:`MIN_BYTES`: for
small files parsing is cheaper than the cache's own work.

The directory is ``$ROUTECLI_CACHE_DIR``, else ``$XDG_CACHE_HOME/routecli``,
else ``~/.cache/routecli``. ``ROUTECLI_NO_CACHE=1`` (or ``--no-cache``)
turns it off. Any cache problem (unwritable directory, corrupt entry) is
silently treated as a miss: the cache can only make routecli faster.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from routecli.routing.model import ConverterDef, Route, RouteSet, Settings, Source

MIN_BYTES = 64 * 1024
MAX_ENTRIES = 64
_FORMAT = 1  # bump when the stored shape changes
_disabled = False


def set_enabled(enabled: bool) -> None:
    """Turn the cache on or off for this process (the CLI's --no-cache)."""
    global _disabled
    _disabled = not enabled


def cache_dir() -> str | None:
    """Where entries live, or None when caching is off."""
    if _disabled or os.environ.get("ROUTECLI_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("ROUTECLI_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "routecli")


def cached(path: str, parse: Callable[[], tuple[RouteSet, Any]]) -> tuple[RouteSet, Any]:
    """``parse()``'s result for the file at ``path``, from the cache when its bytes match."""
    directory = cache_dir()
    if directory is None:
        return parse()
    try:
        size = os.path.getsize(path)
    except OSError:
        return parse()  # the parser reports the problem properly
    if size < MIN_BYTES:
        return parse()
    try:
        key = _key(path)
    except OSError:
        return parse()
    entry = os.path.join(directory, key + ".marshal")
    loaded = _read(entry)
    if loaded is not None:
        return loaded
    result = parse()
    _write(directory, entry, result)
    return result


def _key(path: str) -> str:
    import hashlib

    from routecli.version import __version__

    digest = hashlib.sha256()
    digest.update(f"{_FORMAT}|{__version__}|{sys.version_info[:2]}|{_code_stamp()}|"
                  f"{os.path.abspath(path)}|{path}\0".encode("utf-8", "surrogatepass"))
    with open(path, "rb") as handle:
        digest.update(handle.read())
    return digest.hexdigest()[:32]


def _code_stamp() -> str:
    """Size and mtime of the code that parses and validates files, so that an
    edited (editable) install never reads entries its old code wrote."""
    here = os.path.dirname(os.path.abspath(__file__))
    stamp = []
    for name in ("route_file.py", "yaml_file.py", "toml_file.py", "json_file.py", "schema.py",
                 "cache.py", os.path.join("..", "routing", "model.py")):
        try:
            info = os.stat(os.path.join(here, name))
        except OSError:
            continue
        stamp.append(f"{info.st_size}:{info.st_mtime_ns}")
    return ",".join(stamp)


def _read(entry: str) -> tuple[RouteSet, Any] | None:
    import marshal

    try:
        with open(entry, "rb") as handle:
            data = marshal.load(handle)
        return _decode(data)
    except Exception:  # noqa: BLE001 - a missing or damaged entry is a miss
        return None


def _write(directory: str, entry: str, result: tuple[RouteSet, Any]) -> None:
    import marshal

    try:
        data = _encode(*result)
        os.makedirs(directory, mode=0o700, exist_ok=True)
        temporary = f"{entry}.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            marshal.dump(data, handle)
        os.replace(temporary, entry)  # atomic: readers never see half an entry
        _prune(directory)
    except Exception:  # noqa: BLE001 - data that marshal can't hold, or a read-only disk
        try:
            os.unlink(temporary)  # type: ignore[possibly-undefined]
        except Exception:  # noqa: BLE001
            pass


def _prune(directory: str) -> None:
    entries = [os.path.join(directory, name) for name in os.listdir(directory)
               if name.endswith(".marshal")]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda name: os.stat(name).st_mtime)
    for name in entries[: len(entries) - MAX_ENTRIES]:
        try:
            os.unlink(name)
        except OSError:
            pass


def _source(source: Source | None) -> tuple | None:
    return None if source is None else (source.file, source.line)


def _encode(routeset: RouteSet, explicit: dict) -> tuple:
    if routeset.dialect != "werkzeug":
        # Nested groups and dialect options have no stored shape: such files are parsed
        # each time (_write treats this as data it cannot hold).
        raise ValueError("only Werkzeug route sets are cached")
    routes = [
        (r.rule, r.endpoint, r.methods, r.defaults, r.strict_slashes, r.merge_slashes,
         r.redirect_to, r.alias, r.build_only, r.host, r.subdomain, r.provide_automatic_options,
         r.websocket, _source(r.source), r.view, r.noqa)
        for r in routeset.routes
    ]
    converters = [(c.name, c.regex, c.weight, c.part_isolating, _source(c.source))
                  for c in routeset.converters.values()]
    settings = routeset.settings.to_dict()
    explicit_plain = {name: (value, _source(source)) for name, (value, source) in
                      explicit.items()}
    return (_FORMAT, routes, converters, settings, explicit_plain)


def _decode(data: tuple) -> tuple[RouteSet, Any]:
    version, routes, converters, settings, explicit_plain = data
    if version != _FORMAT:
        raise ValueError("old cache format")
    sources: dict[tuple, Source] = {}

    def source(plain):
        if plain is None:
            return None
        found = sources.get(plain)
        if found is None:
            found = sources[plain] = Source(*plain)
        return found

    built = []
    for (rule, endpoint, methods, defaults, strict, merge, redirect_to, alias, build_only, host,
         subdomain, automatic, websocket, src, view, noqa) in routes:
        built.append(Route(rule, endpoint, methods, defaults=defaults, strict_slashes=strict,
                           merge_slashes=merge, redirect_to=redirect_to, alias=alias,
                           build_only=build_only, host=host, subdomain=subdomain,
                           provide_automatic_options=automatic, websocket=websocket,
                           source=source(src), view=view, noqa=noqa))
    defs = {name: ConverterDef(name, regex, weight, part_isolating, source=source(src))
            for name, regex, weight, part_isolating, src in converters}
    explicit = {name: (value, source(src)) for name, (value, src) in explicit_plain.items()}
    return RouteSet(built, Settings(**settings), defs), explicit
