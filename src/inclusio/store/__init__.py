"""Storage of the service: the job table (:mod:`inclusio.store.db`) and files (:mod:`inclusio.store.files`)."""
