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


# --- pyproject.toml's [tool.routecli] routes ---------------------------------------------

def pyproject(directory, body='[tool.routecli]\nroutes = ["a.yaml"]\n'):
    path = directory / "pyproject.toml"
    path.write_text(body)
    return path


@pytest.fixture
def toml_reads(monkeypatch):
    """How many times a pyproject.toml was parsed (not answered from the cache)."""
    from routecli.sources import discover

    calls = []
    real = discover._routes_of
    monkeypatch.setattr(discover, "_routes_of", lambda *a: calls.append(a) or real(*a))
    return calls


def test_pyproject_routes_are_answered_from_the_cache(tmp_path, cache_dir, toml_reads):
    from routecli.sources.discover import find_sources

    pyproject(tmp_path)
    first = find_sources(cwd=str(tmp_path), environ={})
    second = find_sources(cwd=str(tmp_path), environ={})
    assert first == second == [str(tmp_path / "a.yaml")]
    assert len(toml_reads) == 1
    (entry,) = cache_dir.iterdir()
    assert entry.name.startswith("pyproject-")


def test_pyproject_changed_in_place_is_read_again(tmp_path, cache_dir, toml_reads):
    from routecli.sources.discover import find_sources

    path = pyproject(tmp_path)
    find_sources(cwd=str(tmp_path), environ={})
    stat = path.stat()
    pyproject(tmp_path, '[tool.routecli]\nroutes = ["b.yaml"]\n')  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    assert find_sources(cwd=str(tmp_path), environ={}) == [str(tmp_path / "b.yaml")]
    assert len(toml_reads) == 2


def test_broken_pyproject_is_reported_every_time_and_never_stored(tmp_path, cache_dir):
    from routecli.sources.discover import find_sources

    pyproject(tmp_path, '[tool.routecli]\nroutes = ["a.yaml"]\nroutes = ["b.yaml"]\n')
    for _ in range(2):
        with pytest.raises(RouteError, match=r"invalid TOML"):
            find_sources(cwd=str(tmp_path), environ={})
    pyproject(tmp_path, '[tool.routecli]\nroutez = ["a.yaml"]\n')
    for _ in range(2):
        with pytest.raises(RouteError, match=r"unknown key 'routez'"):
            find_sources(cwd=str(tmp_path), environ={})
    assert not cache_dir.exists() or not list(cache_dir.iterdir())


@pytest.mark.parametrize("damage", [
    lambda blob: b"\x00garbage",
    lambda blob: blob[:-3],
    lambda blob: blob[:4] + blob[4:].replace(b"a.yaml", b"z.yaml"),  # the checksum fails
])
def test_damaged_pyproject_entry_is_a_miss(tmp_path, cache_dir, toml_reads, damage):
    from routecli.sources.discover import find_sources

    pyproject(tmp_path)
    find_sources(cwd=str(tmp_path), environ={})
    (entry,) = cache_dir.iterdir()
    entry.write_bytes(damage(entry.read_bytes()))
    assert find_sources(cwd=str(tmp_path), environ={}) == [str(tmp_path / "a.yaml")]
    assert len(toml_reads) == 2


def test_pyproject_cache_off(tmp_path, cache_dir, monkeypatch, toml_reads):
    from routecli.sources.discover import find_sources

    monkeypatch.setenv("ROUTECLI_NO_CACHE", "1")
    pyproject(tmp_path)
    for _ in range(2):
        assert find_sources(cwd=str(tmp_path), environ={}) == [str(tmp_path / "a.yaml")]
    assert len(toml_reads) == 2 and not cache_dir.exists()


def test_cached_pyproject_spares_the_toml_import(tmp_path, cache_dir):
    """The point of the entry: a second ``routecli match`` never imports tomllib."""
    import subprocess
    import sys

    pyproject(tmp_path)
    (tmp_path / "a.yaml").write_text("routes:\n  - {rule: /, endpoint: index}\n")
    probe = ("import sys; from routecli.cli import main\n"
             "try:\n    main(['match', 'GET', '/'])\n"
             "except SystemExit as exit:\n    print(exit.code, 'tomllib' in sys.modules)\n")
    env = {**os.environ, "ROUTECLI_CACHE_DIR": str(cache_dir)}
    runs = [subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                           capture_output=True, text=True).stdout.split()[-2:]
            for _ in range(2)]
    assert runs == [["0", "True"], ["0", "False"]]


def test_an_entry_too_big_for_routecli_to_have_written_is_never_read(tmp_path, cache_dir,
                                                                     toml_reads):
    from routecli.sources.discover import find_sources

    pyproject(tmp_path)
    find_sources(cwd=str(tmp_path), environ={})
    (entry,) = cache_dir.iterdir()
    with open(entry, "r+b") as handle:
        handle.truncate(cache._MAX_ENTRY_BYTES + 1)  # sparse: costs no disk
    assert find_sources(cwd=str(tmp_path), environ={}) == [str(tmp_path / "a.yaml")]
    assert len(toml_reads) == 2
