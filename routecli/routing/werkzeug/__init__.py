"""Werkzeug's routing (Flask), reproduced: one module per step.

``syntax`` parses a rule string into tokens; ``converters`` are Werkzeug's
converters; ``compiler`` turns a route into a :class:`~.compiler.CompiledRule`
(parts, weights, argument builders); ``matcher`` walks the compiled trie;
``binding`` binds a request to the server name and subdomain; ``building``
builds URLs and redirect targets; ``table`` puts them together and answers a
request; ``explain`` says why the routes that almost matched lost.
"""
