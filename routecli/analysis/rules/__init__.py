"""The lint rules, one module per family; each rule is declared next to its check.

:mod:`routecli.analysis.registry` lists the families and builds the code -> rule table.
"""
