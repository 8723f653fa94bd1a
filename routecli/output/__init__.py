"""Output formats as plain text: what each command prints, apart from computing it.

Library code: no click, no rich. Each module turns a command's result (a route
list, a lint report, a coverage report) into text in one format (json, csv,
markdown, sarif, github...). The CLI's rich rendering for terminals lives in
:mod:`routecli.cli`; everything a pipe or a file gets is written here.
"""
