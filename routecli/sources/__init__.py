"""Where routes come from: route files (:mod:`.files`), their schema (:mod:`.schema`) and
source discovery and merging (:mod:`.discover`)."""
