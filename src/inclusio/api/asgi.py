"""The API for an ASGI server, from the environment: ``uvicorn --factory inclusio.api.asgi:create``."""

from __future__ import annotations

from fastapi import FastAPI


def create() -> FastAPI:
    """The API for the process's settings (``INCLUSIO_*``); runs the migrations first."""
    from inclusio.api.app import create_app
    from inclusio.config import get_settings

    return create_app(get_settings())
