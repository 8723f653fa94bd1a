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

An entry is trusted no more than it must be: it is read only when it is a regular file
(never a symlink, a FIFO or a device) owned by the user, in a directory no one else can
write to, and only when its checksum holds and its shape and types are what
:func:`_encode` writes; anything else is a miss. Entries are written through a new
private file (``O_EXCL | O_NOFOLLOW``), so a planted symlink never redirects a write.

``pyproject.toml``'s ``[tool.routecli] routes`` are kept too (:func:`cached_pyproject_routes`),
whatever the file's size: reading them costs little, but importing ``tomllib`` costs about a
fifth of ``routecli match``'s start-up. Such an entry is named after the file's path and holds
the file's exact bytes, compared in full: any change to the file is a miss.
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
    private = _private(directory)
    loaded = _read(entry) if private else None
    if loaded is not None:
        return loaded
    result = parse()
    if private is not False:  # a missing directory is made; a shared one is left alone
        _write(directory, entry, result)
    return result


def _private(directory: str) -> bool | None:
    """Whether ``directory`` is the user's own and no one else can write to it (None when
    it does not exist yet). Entries of a shared directory could be planted by others."""
    import stat

    try:
        info = os.stat(directory)
    except OSError:
        return None
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


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
                 "discover.py", "cache.py", os.path.join("..", "routing", "model.py")):
        try:
            info = os.stat(os.path.join(here, name))
        except OSError:
            continue
        stamp.append(f"{info.st_size}:{info.st_mtime_ns}")
    return ",".join(stamp)


def cached_pyproject_routes(path: str, raw: bytes,
                            read: Callable[[], list[str] | None]) -> list[str] | None:
    """``read()`` (the ``routes`` of the pyproject.toml at ``path``, whose bytes are ``raw``),
    from the cache when an entry holds these very bytes. Only a valid answer is stored:
    ``read`` raising (a broken file) stores nothing, so the error is reported every time."""
    directory = cache_dir()
    if directory is None:
        return read()
    import marshal
    import zlib

    where = os.path.abspath(path)
    stamp = (_FORMAT, _version(), _code_stamp(), where)
    name = zlib.crc32(where.encode("utf-8", "surrogatepass"))
    entry = os.path.join(directory, f"pyproject-{name:08x}.marshal")
    private = _private(directory)
    if private:
        blob = _read_blob(entry)
        # A CRC, not the route entries' sha256: zlib is loaded already, hashlib is not (an
        # entry is trusted by its owner and directory, the checksum only finds damage).
        if blob is not None and zlib.crc32(blob[4:]).to_bytes(4, "big") == blob[:4]:
            try:
                stored_stamp, stored_raw, routes = marshal.loads(blob[4:])
            except Exception:  # noqa: BLE001 - a damaged or foreign entry is a miss
                stored_stamp = None
            if stored_stamp == stamp and stored_raw == raw and _is_routes(routes):
                return routes
    routes = read()
    if private is not False:
        payload = marshal.dumps((stamp, raw, routes))
        _write_blob(directory, entry, zlib.crc32(payload).to_bytes(4, "big") + payload)
    return routes


def _is_routes(value: Any) -> bool:
    return value is None or (type(value) is list
                             and all(type(entry) is str for entry in value))


def _version() -> str:
    from routecli.version import __version__

    return __version__


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
# No route file holds more (route_file.MAX_FILE_BYTES); a bigger entry was not written
# by routecli (an 8 GiB sparse file would be read whole).
_MAX_ENTRY_BYTES = 2 << 30
_DIGEST = 32  # an entry is the sha256 of its marshal data, then the data


def _read_blob(entry: str) -> bytes | None:
    """An entry's bytes, when it is a regular file of the user's own (else None)."""
    import stat

    try:
        fd = os.open(entry, _OPEN_FLAGS)  # a FIFO opens without waiting, a symlink fails
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid()
                    or info.st_size > _MAX_ENTRY_BYTES):
                return None
            return handle.read()
    except (OSError, MemoryError):
        return None


def _read(entry: str) -> tuple[RouteSet, Any] | None:
    import hashlib
    import marshal

    blob = _read_blob(entry)
    if blob is None:
        return None
    try:
        digest, payload = blob[:_DIGEST], blob[_DIGEST:]
        if hashlib.sha256(payload).digest() != digest:
            return None
        return _decode(marshal.loads(payload))
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is a miss
        return None


def _write(directory: str, entry: str, result: tuple[RouteSet, Any]) -> None:
    import hashlib
    import marshal

    try:
        payload = marshal.dumps(_encode(*result))
    except Exception:  # noqa: BLE001 - data that marshal can't hold
        return
    _write_blob(directory, entry, hashlib.sha256(payload).digest() + payload)


def _write_blob(directory: str, entry: str, blob: bytes) -> None:
    """Store an entry through a new private file, then prune; any failure (a read-only
    disk, a shared directory) leaves the cache as it was."""
    temporary = f"{entry}.{os.getpid()}.tmp"
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        if not _private(directory):
            return
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                     | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        os.replace(temporary, entry)  # atomic: readers never see half an entry
        _prune(directory)
    except Exception:  # noqa: BLE001 - a read-only or full disk
        try:
            os.unlink(temporary)
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


def _check(value: Any, *types: type) -> None:
    """An entry's field must have the type _encode gave it (else the entry is a miss)."""
    if value.__class__ not in types:  # exact: True is no int, a str subclass no str
        raise TypeError(f"cache entry holds {type(value).__name__}")


def _check_strings(values: Any, *types: type) -> None:
    _check(values, *types)
    for value in values or ():
        _check(value, str)


def _check_source(plain: Any) -> None:
    if plain is not None:
        _check(plain, tuple)
        file, line = plain
        _check(file, str)
        _check(line, int, type(None))


_NONE = type(None)
# The type of each field of a stored route, in _encode's order (rule ... noqa), as the
# schema makes them: an entry re-signed with other values is a miss, never a crash later.
_ROUTE_TYPES = ((str,), (str,), None, (dict, _NONE), (bool, _NONE), (bool, _NONE),
                (str, _NONE), (bool,), (bool,), (str, _NONE), (str, _NONE), (bool, _NONE),
                (bool,), None, (str, _NONE), None)
_SETTING_TYPES = {"server_name": (str,), "default_subdomain": (str,),
                  "trusted_hosts": (list, tuple, _NONE)}


def _decode(data: tuple) -> tuple[RouteSet, Any]:
    version, routes, converters, settings, explicit_plain = data
    if version != _FORMAT:
        raise ValueError("old cache format")
    _check(routes, list)
    _check(converters, list)
    _check(settings, dict)
    _check(explicit_plain, dict)
    for route in routes:
        _check(route, tuple)
        if len(route) != len(_ROUTE_TYPES):
            raise ValueError("cache entry holds a route of another shape")
        for value, types in zip(route, _ROUTE_TYPES):
            if types is not None:
                _check(value, *types)
        _check_strings(route[2], tuple, list, _NONE)  # methods
        _check_strings(route[15], tuple, list)  # noqa
        for key in route[3] or ():  # defaults: the values are the file's own data
            _check(key, str)
        _check_source(route[13])
    for converter in converters:
        _check(converter, tuple)
        name, regex, weight, isolating, src = converter
        _check(name, str)
        _check(regex, str)
        _check(weight, int)
        _check(isolating, bool, _NONE)
        _check_source(src)
        _check_regex(regex)
    for name, value in settings.items():
        if name not in Settings.FIELDS:
            raise ValueError(f"cache entry holds an unknown setting {name!r}")
        _check(value, *_SETTING_TYPES.get(name, (bool,)))
    _check_strings(settings.get("trusted_hosts"), list, tuple, _NONE)
    for name, plain in explicit_plain.items():
        if name not in Settings.FIELDS:
            raise ValueError(f"cache entry holds an unknown setting {name!r}")
        _check(plain, tuple)
        value, src = plain
        _check(value, *_SETTING_TYPES.get(name, (bool,)))
        if name == "trusted_hosts":
            _check_strings(value, list, tuple, _NONE)
        _check_source(src)
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


def _check_regex(regex: str) -> None:
    """A converter's regex passes the schema's check (a re-signed entry could hold any)."""
    from routecli.sources.schema import regex_problem

    if regex_problem(regex):
        raise ValueError("cache entry holds a converter regex the schema refuses")
