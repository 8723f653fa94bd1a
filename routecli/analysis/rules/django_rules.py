"""Lint rules for Django URLconfs (RL301-RL307). Django tries patterns in order and the
first match answers every method, so the questions are about languages in order: which
endpoint can never answer (the union of the earlier ones covers it), which answers only
part of its URLs, which regex matches more than it reads, and which URLs APPEND_SLASH
turns into redirects that cannot work. Every witness is resolved by routecli's Django
matcher before it is reported (docs/django.md#lint)."""

from __future__ import annotations

from routecli.analysis.rule import Rule

UNREACHABLE = Rule(
    "RL301", "django-unreachable", "error",
    "A Django pattern never answers: the patterns before it take every URL it matches.",
    "Decides exactly, over the path languages of all earlier endpoints (include chains "
    "flattened), whether every URL of a pattern is answered by an earlier one; methods "
    "play no part, as in Django. Earlier patterns whose converters may reject a value "
    "(a `to_python` that raises ValueError) or whose include prefix can split a URL in "
    "more than one way are left out of the union, so nothing is reported dead that is "
    "not.",
    "A dead pattern's view is dead code that looks alive: tests that call the view "
    "directly pass while no request ever reaches it.",
    "- {rule: 'a/<int:x>/', endpoint: int}\n- {rule: 'a/<slug:x>/', endpoint: slug}\n"
    "- {rule: 'a/<int:y>/', endpoint: never}   # every URL taken by the two above",
    "Remove the pattern, or move it above the patterns that take its URLs.",
)

SHADOWED = Rule(
    "RL302", "django-specific-after-general", "error",
    "A specific Django pattern comes after a general one that takes all its URLs.",
    "Reports a pattern whose every URL is matched by one earlier, more general pattern "
    "(`users/me/` after `users/<str:username>/`). Django answers with the first match, "
    "so the specific view never runs; the reverse order is the idiom and is silent.",
    "Frameworks that sort patterns by specificity (Werkzeug) would pick the specific one; "
    "Django never does, so the specific view is silently dead.",
    "- {rule: 'users/<str:username>/', endpoint: user}\n"
    "- {rule: 'users/me/', endpoint: me}          # /users/me/ answers user",
    "Put the specific pattern first.",
)

INCLUDE_SWALLOWS = Rule(
    "RL303", "django-include-swallows", "error",
    "An earlier include() answers every URL of a later pattern.",
    "Reports a pattern made dead by the patterns of one earlier `include()` (not one of "
    "its own includes): Django backtracks out of an include only when none of its "
    "patterns matches, and here one always does.",
    "An include's patterns live in another file; the pattern they shadow looks fine "
    "where it is written.",
    "- include: 'api/'\n  routes: [{rule: '<path:rest>', endpoint: proxy}]\n"
    "- {rule: 'api/health/', endpoint: health}   # answered by proxy",
    "Move the pattern above the include, or narrow the include's catch-all.",
)

PARTLY_SHADOWED = Rule(
    "RL304", "django-overlap", "warning",
    "An earlier Django pattern takes some of a later pattern's URLs.",
    "Reports two patterns whose URLs overlap while neither takes all the other's: the "
    "earlier one answers the shared URLs (the witness). Only earlier patterns that "
    "answer exactly their language count (see RL301).",
    "The later view silently loses part of its URLs.",
    "- {rule: '<slug:entity>/me/', endpoint: mine}\n"
    "- {rule: 'books/<slug:id>/', endpoint: book}   # /books/me/ answers mine",
    "Make the patterns disjoint, or order them so the specific one comes first.",
)

UNANCHORED = Rule(
    "RL305", "django-unanchored-regex", "warning",
    "A re_path() without ^ (or an endpoint regex without $) matches more than it reads.",
    "Django searches a re_path regex in the path: without `^` it matches in the middle "
    "of a path (`anywhere/` answers `/x/anywhere/`), and an endpoint regex that does not "
    "end in `$` matches every path that starts with it (`^feed` answers `/feed/x/y`). "
    "Reported with a URL that reaches the pattern only because of the missing anchor.",
    "The extra URLs are rarely intended; they serve a page under URLs nobody wrote.",
    "- {regex: 'anywhere/', endpoint: a}      # also /x/anywhere/deeper/",
    "Anchor the regex: `^anywhere/$`, or use path().",
)

LEADING_SLASH = Rule(
    "RL306", "django-leading-slash", "warning",
    "A Django pattern starts with '/': only a URL with a doubled slash reaches it.",
    "Django strips the leading `/` of the path before matching, so `path('/lead', ...)` "
    "answers `//lead` and never `/lead` (Django's own check urls.W002 warns too).",
    "The pattern is, in practice, unreachable.",
    "- {rule: /lead, endpoint: lead}      # GET /lead is a 404",
    "Remove the leading slash.",
)

SLASH_REDIRECT_REFUSED = Rule(
    "RL307", "django-append-slash-refused", "warning",
    "APPEND_SLASH redirects to a view that refuses GET.",
    "For a view whose methods are known and exclude GET (`require_POST`, a class view "
    "with only `post`), a request without the trailing slash gets APPEND_SLASH's 301 "
    "(a 500 under DEBUG for POST, PUT, PATCH and DELETE); clients follow a 301 with a "
    "GET, which the view answers with 405.",
    "A form or API client that forgets the slash loses its request body and gets a "
    "405 instead of a clear error.",
    "- {rule: login/, endpoint: login, methods: [POST]}   # POST /login -> 301 -> 405",
    "Point clients at the slashed URL, or add a pattern without the slash.",
)

ALL = (UNREACHABLE, SHADOWED, INCLUDE_SWALLOWS, PARTLY_SHADOWED, UNANCHORED, LEADING_SLASH,
       SLASH_REDIRECT_REFUSED)
