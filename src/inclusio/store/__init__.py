"""Storage of the service: one database (:mod:`inclusio.store.db`) holding jobs (:mod:`inclusio.store.jobs`),
shares (:mod:`inclusio.store.shares`), batches (:mod:`inclusio.store.batches`) and accounts
(:mod:`inclusio.store.accounts`); and files (:mod:`inclusio.store.files`)."""
