"""Celery wiring for inclusio: the app and thin tasks that call into the library."""
