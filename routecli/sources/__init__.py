"""Where routes come from: route files (:mod:`.route_file` with one reader per format,
:mod:`.yaml_file`, :mod:`.toml_file`, :mod:`.json_file`), their schema (:mod:`.schema`),
the parse cache (:mod:`.cache`), Python sources (:mod:`.python`), and source discovery
and merging (:mod:`.discover`)."""
