"""Routing: route data in, framework-exact answers out.

Dialect-neutral modules sit here: :mod:`.model` (routes and settings as loaded),
:mod:`.urls` (splitting and decoding request URLs), :mod:`.result` (an answer),
:mod:`.serialize` (a route as data) and :mod:`.dialects` (the seam that picks a
framework's table). Each framework's routing is a subpackage of its own that
turns a :class:`~routecli.routing.model.RouteSet` into a table with ``match``,
``build`` and ``explain``: :mod:`.werkzeug` (Flask) today.

Nothing in this package imports sources, analysis, coverage or the CLI.
"""
