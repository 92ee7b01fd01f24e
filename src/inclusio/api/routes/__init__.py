"""The API's routes, one module per resource (included by :func:`inclusio.api.app.create_api`)."""
