"""Flask translation: a Flask app's ``url_map`` (or a bare Werkzeug ``Map``) -> RouteSet.

From a Flask app, routecli reads ``app.url_map``: every rule with its options and
converters (:mod:`.flask_converters`), the map settings, ``SERVER_NAME`` (when
``subdomain_matching`` is on) and ``PROVIDE_AUTOMATIC_OPTIONS``; rules come in
registration order (:mod:`.registration_order`). Each route's ``view`` is the view
function as ``module.qualname``. Its ``source`` is the rule's own decorator line when
routecli saw the registration (each of stacked ``@app.route``/``@bp.route``), else where
the function is defined (its first decorator line); a class-based view's rule points at
the user's ``add_url_rule(...)`` line, else at the class; the static routes at the
``Flask(...)``/``Blueprint(...)`` call that created them
(docs/python-sources.md#what-routecli-reads-from-a-flask-app).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from routecli.routing.model import Route, RouteSet, Settings
from routecli.sources.python.flask_converters import custom_converters, rule_converters
from routecli.sources.python.registration_order import Recorder, Site, rule_order
from routecli.sources.python.user_code import ViewInfo, describe_view


def routeset_from_app(app: Any, *, recorder: Recorder | None = None) -> RouteSet:
    """The routes of a Flask app, as ``load_python`` reads them (see the module doc);
    ``recorder`` holds the registration order seen while the app was built, if any."""
    config = app.config
    settings_extra = {
        "automatic_options": bool(config.get("PROVIDE_AUTOMATIC_OPTIONS", True)),
        # Under host matching Flask ignores SERVER_NAME for routing; otherwise it is
        # where redirects point, and with subdomain_matching it also decides subdomains.
        "server_name": (config.get("SERVER_NAME") or "")
        if not app.url_map.host_matching else "",
        "subdomain_matching": bool(getattr(app, "subdomain_matching", False)),
        "trusted_hosts": list(config.get("TRUSTED_HOSTS") or ()) or None,
    }
    return _routeset_from_map(app.url_map, getattr(app, "view_functions", {}), settings_extra,
                              recorder, knows_views=True)


def routeset_from_map(url_map: Any, *, recorder: Recorder | None = None) -> RouteSet:
    """The routes of a bare Werkzeug ``Map`` (no Flask: no views, no automatic OPTIONS)."""
    return _routeset_from_map(url_map, {}, {}, recorder)


def _routeset_from_map(url_map: Any, views: Mapping, extra: dict,
                       recorder: Recorder | None, knows_views: bool = False) -> RouteSet:
    settings = Settings(
        strict_slashes=bool(url_map.strict_slashes),
        merge_slashes=bool(url_map.merge_slashes),
        redirect_defaults=bool(url_map.redirect_defaults),
        host_matching=bool(url_map.host_matching),
        default_subdomain=url_map.default_subdomain or "",
        **extra,
    )
    rules, sites, _how = rule_order(url_map, recorder)
    translator = _Translator(url_map, views, settings, knows_views)
    routes = [translator.route(rule, sites.get(id(rule))) for rule in rules]
    return RouteSet(routes, settings, custom_converters(url_map))


class _Translator:
    """Werkzeug rules of one map -> routecli Routes (methods, options, view and source)."""

    def __init__(self, url_map: Any, views: Mapping, settings: Settings,
                 knows_views: bool) -> None:
        self.map = url_map
        self.views = views
        self.knows_views = knows_views  # a Flask app: an endpoint without a view is known
        self.settings = settings
        self.view_info: dict[Any, ViewInfo] = {}

    def route(self, rule: Any, site: Site | None) -> Route:
        """The Route for ``rule``, which came from ``site`` (when recorded)."""
        m = self.map
        settings = self.settings
        methods: tuple[str, ...] | None
        provide: bool | None = None
        if rule.methods is None:
            methods = None
        else:
            declared = {str(method).upper() for method in rule.methods}
            automatic = bool(getattr(rule, "provide_automatic_options", False))
            if automatic and "OPTIONS" in declared and settings.automatic_options:
                declared.discard("OPTIONS")  # routecli adds it back as automatic
            else:
                provide = automatic
            if "GET" in declared:
                declared.discard("HEAD")  # implied by GET
            methods = tuple(sorted(declared))
        strict = rule.strict_slashes
        merge = rule.merge_slashes
        subdomain = rule.subdomain
        if subdomain == (m.default_subdomain or ""):
            subdomain = None
        view, source, body_line, is_class = self.view_for(rule.endpoint)
        if site is not None:
            at = site.source
            if source is None:
                source = at  # Flask's own view (static): the line behind the rule
            elif is_class and site.declared:
                source = at  # this rule's own add_url_rule line, for a class-based view
            elif (at.file == source.file and body_line is not None
                  and source.line <= at.line < body_line):
                source = at  # this rule's own decorator line, for a view with several
        return Route(
            rule.rule,
            rule.endpoint if isinstance(rule.endpoint, str) else str(rule.endpoint),
            methods,
            defaults=dict(rule.defaults) if rule.defaults is not None else None,
            # As resolved when the rule was bound (the map's value then, or the rule's own):
            # exact even if the map setting changed later, or another source is merged in.
            strict_slashes=None if strict is None else bool(strict),
            merge_slashes=None if merge is None else bool(merge),
            redirect_to=rule.redirect_to,
            alias=bool(rule.alias),
            build_only=bool(rule.build_only),
            host=rule.host,
            subdomain=subdomain,
            provide_automatic_options=provide,
            websocket=bool(rule.websocket),
            source=source,
            view=view,
            has_view=(rule.endpoint in self.views) if self.knows_views else None,
            converters=rule_converters(rule, bool(m.host_matching)),
        )

    def view_for(self, endpoint: Any) -> ViewInfo:
        """:func:`describe_view` of the endpoint's view, once per endpoint."""
        if endpoint in self.view_info:
            return self.view_info[endpoint]
        info = describe_view(self.views.get(endpoint), endpoint)
        self.view_info[endpoint] = info
        return info


