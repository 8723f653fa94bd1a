"""Starlette's and FastAPI's routing (docs/dialects.md): first match in declaration order.

One module per step: :mod:`.syntax` (path templates) → :mod:`.convertors` →
:mod:`.compiler` (a route set → routers and entries) → :mod:`.matcher` (the dispatch
algorithm, with a prefix index) → :mod:`.validation` (FastAPI's 422 after the route is
chosen) → :mod:`.table` (answers) → :mod:`.explain` (why the intended route lost).
"""
