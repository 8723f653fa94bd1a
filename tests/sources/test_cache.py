"""The parsed-file cache: same answers as parsing, keyed by content, never required."""

import os

import pytest

from routecli.errors import RouteError
from routecli.sources import cache
from routecli.sources.discover import load_routeset


def big_yaml(path, count=1200, endpoint="ep"):
    lines = ["settings: {strict_slashes: false}",
             "converters: {slug: {regex: '[a-z-]+', weight: 90}}",
             "routes:"]
    for i in range(count):
        lines.append(f"  - rule: /items{i}/<slug:s>")
        lines.append(f"    endpoint: {endpoint}{i}")
        lines.append("    methods: [GET, POST]")
        lines.append("    defaults: {page: 1, tags: [a, b]}")
    path.write_text("\n".join(lines) + "\n")
    assert path.stat().st_size >= cache.MIN_BYTES
    return path


def snapshot(routeset):
    return (
        [(r.rule, r.endpoint, r.methods, r.defaults, r.source, r.noqa, r.strict_slashes)
         for r in routeset.routes],
        routeset.settings.to_dict(),
        {n: (c.regex, c.weight, c.part_isolating, c.source) for n, c in
         routeset.converters.items()},
    )


def test_second_load_comes_from_the_cache_and_is_identical(tmp_path, cache_dir):
    routes = big_yaml(tmp_path / "big.yaml")
    first = load_routeset([str(routes)])
    entries = list(cache_dir.iterdir())
    assert len(entries) == 1
    second = load_routeset([str(routes)])
    assert snapshot(second) == snapshot(first)
    assert second.routes[3].source.line == first.routes[3].source.line > 3


def test_a_changed_file_is_parsed_again(tmp_path, cache_dir):
    routes = big_yaml(tmp_path / "big.yaml")
    load_routeset([str(routes)])
    big_yaml(routes, endpoint="changed")
    assert load_routeset([str(routes)]).routes[0].endpoint == "changed0"
    assert len(list(cache_dir.iterdir())) == 2


def test_corrupt_entry_is_a_miss(tmp_path, cache_dir):
    routes = big_yaml(tmp_path / "big.yaml")
    expected = snapshot(load_routeset([str(routes)]))
    (entry,) = cache_dir.iterdir()
    entry.write_bytes(b"\x00garbage")
    assert snapshot(load_routeset([str(routes)])) == expected


def test_small_files_and_errors_are_not_cached(tmp_path, cache_dir):
    small = tmp_path / "small.yaml"
    small.write_text("routes:\n  - {rule: /, endpoint: i}\n")
    load_routeset([str(small)])
    bad = big_yaml(tmp_path / "bad.yaml")
    bad.write_text(bad.read_text().replace("endpoint: ep7\n", "endpiont: ep7\n"))
    for _ in range(2):
        with pytest.raises(RouteError, match="did you mean 'endpoint'"):
            load_routeset([str(bad)])
    assert not cache_dir.exists() or not list(cache_dir.iterdir())


def test_no_cache_env_and_unwritable_dir(tmp_path, cache_dir, monkeypatch):
    routes = big_yaml(tmp_path / "big.yaml")
    monkeypatch.setenv("ROUTECLI_NO_CACHE", "1")
    load_routeset([str(routes)])
    assert not cache_dir.exists()
    monkeypatch.delenv("ROUTECLI_NO_CACHE")
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("ROUTECLI_CACHE_DIR", str(blocker / "sub"))
    assert len(load_routeset([str(routes)]).routes) == 1200  # still works, uncached
    assert os.path.isfile(blocker)
