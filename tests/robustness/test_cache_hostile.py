"""A hostile or damaged parsed-file cache (docs/sources.md#cache): every bad entry is a
miss, never an error, a hang or a changed answer; a write never follows a planted symlink;
a directory others can write to is neither read nor written."""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import threading

import pytest

from routecli.sources import cache
from routecli.sources.discover import load_routeset


def big_yaml(path):
    """A route file big enough to be cached."""
    path.write_text("routes:\n" + "".join(
        f"  - {{rule: '/items{i}/<x>', endpoint: e{i}, methods: [GET, POST]}}\n"
        for i in range(2000)))
    assert path.stat().st_size >= cache.MIN_BYTES
    return path


def snapshot(routeset) -> list:
    return [(r.rule, r.endpoint, r.methods, r.source) for r in routeset.routes]


@pytest.fixture
def cached_file(tmp_path, cache_dir):
    """A big route file, loaded once so that its entry exists; (path, expected, entry)."""
    routes = big_yaml(tmp_path / "big.yaml")
    expected = snapshot(load_routeset([str(routes)]))
    entries = list(cache_dir.glob("*.marshal"))
    assert len(entries) == 1
    return routes, expected, entries[0]


def _signed(payload: bytes) -> bytes:
    return hashlib.sha256(payload).digest() + payload


def _load_in_time(path) -> object:
    """load_routeset, failing the test (not hanging it) if it takes over 20 s."""
    result: list = []
    worker = threading.Thread(target=lambda: result.append(load_routeset([str(path)])),
                              daemon=True)
    worker.start()
    worker.join(20)
    assert result, "loading did not finish in 20 s"
    return result[0]


def _entry_data(entry) -> tuple:
    return marshal.loads(entry.read_bytes()[32:])


@pytest.mark.parametrize("damage", [
    "truncated", "random bytes", "bit flip", "wrong shape", "wrong types", "code object",
    "deep nesting", "huge declared size", "empty",
])
def test_a_damaged_entry_is_a_miss(cached_file, damage):
    routes, expected, entry = cached_file
    blob = entry.read_bytes()
    data = _entry_data(entry)
    damaged = {
        "truncated": blob[:100],
        "random bytes": os.urandom(4096),
        "bit flip": blob[:-10] + bytes([blob[-10] ^ 1]) + blob[-9:],
        "wrong shape": _signed(marshal.dumps((1, [("/x", 5, None)], [], {}, {}))),
        "wrong types": _signed(marshal.dumps(
            (data[0], [(5,) + r[1:] for r in data[1]], *data[2:]))),
        "code object": _signed(marshal.dumps(compile("1/0", "x", "exec"))),
        "deep nesting": _signed(b"[\x01\x00\x00\x00" * 100_000),
        "huge declared size": _signed(b"[\xff\xff\xff\x7f"),
        "empty": b"",
    }[damage]
    entry.write_bytes(damaged)
    assert snapshot(_load_in_time(routes)) == expected


@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink to the route file",
                                  "dangling symlink"])
def test_an_entry_that_is_no_regular_file_is_a_miss_without_waiting(cached_file, kind):
    routes, expected, entry = cached_file
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "directory":
        entry.mkdir()
    elif kind == "symlink to the route file":
        os.symlink(routes, entry)
    else:
        os.symlink(entry.parent / "nowhere", entry)
    before = routes.read_bytes()
    assert snapshot(_load_in_time(routes)) == expected
    assert routes.read_bytes() == before


def test_a_symlink_planted_at_the_temporary_name_is_never_written_through(
        tmp_path, cache_dir, monkeypatch):
    routes = big_yaml(tmp_path / "big.yaml")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    cache_dir.mkdir(mode=0o700)
    key = cache._key(str(routes))
    os.symlink(victim, cache_dir / f"{key}.marshal.{os.getpid()}.tmp")
    load_routeset([str(routes)])
    assert victim.read_text() == "precious\n"


def test_a_directory_others_can_write_to_is_not_used(cached_file, cache_dir):
    routes, expected, entry = cached_file
    data = _entry_data(entry)
    lie = [("/planted",) + r[1:] for r in data[1]]
    entry.write_bytes(_signed(marshal.dumps((data[0], lie, *data[2:]))))
    os.chmod(cache_dir, 0o777)
    try:
        assert snapshot(load_routeset([str(routes)])) == expected  # the planted entry unread
        assert stat.S_IMODE(os.stat(cache_dir).st_mode) == 0o777
        assert _entry_data(entry)[1][0][0] == "/planted"  # and not rewritten either
    finally:
        os.chmod(cache_dir, 0o700)


def test_an_unusable_cache_directory_still_loads(tmp_path, monkeypatch):
    routes = big_yaml(tmp_path / "big.yaml")
    expected = snapshot(load_routeset([str(routes)]))
    for directory in ("/dev/full", str(routes), str(tmp_path / "missing" / "deeper")):
        monkeypatch.setenv("ROUTECLI_CACHE_DIR", directory)
        monkeypatch.delenv("ROUTECLI_NO_CACHE", raising=False)
        assert snapshot(load_routeset([str(routes)])) == expected


def _resigned(data: tuple, kind: str) -> bytes:
    version, routes, converters, settings, explicit = data
    routes = [list(r) for r in routes]
    if kind == "flags of other types":  # e.g. alias b"x": a crash when the table compiled
        for r in routes:
            r[4:13] = [b"x", 5, 7, [], {}, 3.5, b"y", "z", None]
    elif kind == "a bool for a string":
        for r in routes:
            r[1] = True
    elif kind == "a str subclass":
        for r in routes:
            r[0] = type("S", (str,), {})(r[0])
    elif kind == "a route of another length":
        routes = [r + ["extra"] for r in routes]
    elif kind == "an invalid converter regex":
        converters = [("c", "(", 100, None, None)]
    elif kind == "a converter regex with a named group":
        converters = [("c", "(?P<x>a)", 100, None, None)]
    elif kind == "settings of other types":
        settings = {**settings, "strict_slashes": "x", "host_matching": 5}
    elif kind == "an unknown setting":
        settings = {**settings, "evil": True}
    elif kind == "explicit settings of other types":
        explicit = {"trusted_hosts": ([5], ("f", 1))}
    elif kind == "methods that are no strings":
        for r in routes:
            r[2] = [5, None]
    return _signed(marshal.dumps((version, [tuple(r) for r in routes], converters, settings,
                                  explicit)))


@pytest.mark.parametrize("kind", [
    "flags of other types", "a bool for a string", "a route of another length",
    "an invalid converter regex", "a converter regex with a named group",
    "settings of other types", "an unknown setting", "explicit settings of other types",
    "methods that are no strings",
])
def test_a_re_signed_entry_of_other_types_is_a_miss(cached_file, kind):
    # Only someone able to write the private directory can re-sign an entry; still, its
    # every field is checked as the schema makes it, so that such an entry is a miss and
    # not a crash later (audit 3: re-signed flags of other types were an internal error).
    routes, expected, entry = cached_file
    entry.write_bytes(_resigned(_entry_data(entry), kind))
    assert cache._read(str(entry)) is None
    assert snapshot(_load_in_time(routes)) == expected


def test_a_real_entry_with_every_field_set_is_still_a_hit(tmp_path, cache_dir):
    routes = tmp_path / "full.yaml"
    routes.write_text(
        "converters: {c: {regex: '[a-z]+', weight: 5, part_isolating: true}}\n"
        "settings: {strict_slashes: false, server_name: x.com, trusted_hosts: [x.com]}\n"
        "routes:\n" + "".join(
            f"  - {{rule: '/r{i}/<c:x>', endpoint: e{i}, methods: [GET], defaults: {{y: [1]}},"
            " merge_slashes: false, alias: true, subdomain: s, host: h, redirect_to: /z,"
            " provide_automatic_options: false, websocket: true, view: v, noqa: [RL101]}\n"
            for i in range(1000)))
    expected = snapshot(load_routeset([str(routes)]))
    (entry,) = cache_dir.glob("*.marshal")
    assert cache._read(str(entry)) is not None
    assert snapshot(load_routeset([str(routes)])) == expected
