"""Django URL resolution: routecli's Django dialect vs ``django.urls.resolve`` in one run.

Two URLconfs of 5,000 patterns: flat (5,000 ``path()``/``re_path()`` at the root) and
nested (100 ``include()``s of 50 patterns, a quarter with namespaces). The same requests
(hits spread over the whole URLconf, plus 404s) go to ``resolve()`` and to routecli's
``DjangoTable.resolve`` and ``.match`` (which adds the method check, APPEND_SLASH and the
result object). Prints time per request and the ratio; every answer is compared first.

    python bench/bench_django.py [--patterns 5000] [--requests 4000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django
from django.conf import settings

from routecli.routing.django.table import DjangoTable
from routecli.sources.python.django_urlconf import read_urlpatterns

URLCONF = "bench_django_urls"


def view(request, *args, **kwargs):  # never called
    raise AssertionError


def endpoint_patterns(count: int, tag: str, rng: random.Random):
    """``count`` REST-like patterns of one app, with their sample paths."""
    from django.urls import path, re_path

    patterns, samples = [], []
    for i in range(count):
        kind = i % 5
        base = f"{tag}r{i}"
        if kind == 0:
            patterns.append(path(f"{base}/", view, name=f"{base}-list"))
            samples.append(f"{base}/")
        elif kind == 1:
            patterns.append(path(f"{base}/<int:pk>/", view, name=f"{base}-detail"))
            samples.append(f"{base}/{rng.randint(1, 10**6)}/")
        elif kind == 2:
            patterns.append(path(f"{base}/<slug:slug>/edit/", view, name=f"{base}-edit"))
            samples.append(f"{base}/some-slug/edit/")
        elif kind == 3:
            patterns.append(re_path(rf"^{base}/(?P<year>[0-9]{{4}})/$", view, name=f"{base}-y"))
            samples.append(f"{base}/2024/")
        else:
            patterns.append(path(f"{base}/<uuid:id>/files/<path:rest>", view,
                                 name=f"{base}-files"))
            samples.append(f"{base}/12345678-1234-1234-1234-123456789abc/files/a/b.txt")
    return patterns, samples


def flat(total: int, rng: random.Random):
    patterns, samples = endpoint_patterns(total, "", rng)
    return patterns, ["/" + s for s in samples]


def nested(total: int, rng: random.Random, per_app: int = 50):
    from django.urls import include, path

    patterns, samples = [], []
    for app in range(total // per_app):
        children, child_samples = endpoint_patterns(per_app, "", rng)
        target = (children, f"app{app}") if app % 4 == 0 else children
        patterns.append(path(f"app{app}/", include(target, namespace=f"app{app}"
                                                   if app % 4 == 0 else None)))
        samples.extend(f"/app{app}/{s}" for s in child_samples)
    return patterns, samples


def requests_for(samples: list[str], count: int, rng: random.Random) -> list[str]:
    hits = [rng.choice(samples) for _ in range(count * 3 // 4)]
    misses = [f"/nothing{rng.randint(0, 99)}/here/" for _ in range(count - len(hits))]
    paths = hits + misses
    rng.shuffle(paths)
    return paths


def timed(func, paths: list[str], rounds: int = 3) -> float:
    """Best seconds per request over ``rounds`` passes."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for p in paths:
            func(p)
        best = min(best, time.perf_counter() - start)
    return best / len(paths)


def run(name: str, patterns, samples, count: int, rng: random.Random) -> None:
    from django.urls import Resolver404, clear_url_caches, resolve

    sys.modules[URLCONF].urlpatterns = patterns
    clear_url_caches()
    start = time.perf_counter()
    table = DjangoTable(read_urlpatterns(patterns))
    build = time.perf_counter() - start
    paths = requests_for(samples, count, rng)

    def django_resolve(p):
        try:
            return resolve(p)
        except Resolver404:
            return None

    for p in paths:  # the same answers first
        theirs, ours = django_resolve(p), table.resolve(p)
        assert (theirs is None) == (ours is None), p
        if theirs is not None:
            assert (theirs.view_name, theirs.kwargs) == (ours.endpoint.endpoint, ours.kwargs), p
    django_time = timed(django_resolve, paths)
    resolve_time = timed(table.resolve, paths)
    match_time = timed(lambda p: table.match("GET", p), paths)
    print(f"{name:>8}: {len(table.endpoints):,} patterns, built in {build * 1000:.0f} ms; "
          f"per request: Django resolve() {django_time * 1e6:8.1f} us | "
          f"routecli resolve {resolve_time * 1e6:6.1f} us ({django_time / resolve_time:5.1f}x) | "
          f"routecli match {match_time * 1e6:6.1f} us ({django_time / match_time:5.1f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patterns", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=4000)
    args = parser.parse_args()
    settings.configure(ROOT_URLCONF=URLCONF, SECRET_KEY="bench", INSTALLED_APPS=[],
                       USE_I18N=False)
    django.setup()
    sys.modules[URLCONF] = types.ModuleType(URLCONF)
    print(f"Django {django.get_version()}, Python {sys.version.split()[0]}")
    rng = random.Random(5000)
    run("flat", *flat(args.patterns, rng), args.requests, rng)
    run("nested", *nested(args.patterns, rng), args.requests, rng)


if __name__ == "__main__":
    main()
