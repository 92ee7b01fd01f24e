"""``inclusio lti ...``: register learning platforms, list and remove them, rotate the tool's key.

Registered by one line in :func:`inclusio.cli_admin.register_service_commands`.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from inclusio.config import get_settings
from inclusio.errors import InclusioError, error_class_for

console = Console()
err_console = Console(stderr=True)
lti_app = typer.Typer(
    help="LTI 1.3: course platforms (Moodle, Canvas...) and the tool's keys.", no_args_is_help=True
)


def _fail(error: InclusioError) -> typer.Exit:
    err_console.print(f"[bold red]error[/] {escape(f'[{error.code}]')} {escape(error.message)}")
    err_console.print(f"[dim]erreur[/] {escape(f'[{error.code}]')} {escape(error.message_fr)}")
    return typer.Exit(code=error_class_for(error.code).exit_code)


def _platforms():  # type: ignore[no-untyped-def]
    from inclusio.store.db import Database
    from inclusio.store.lti import PlatformStore

    db = Database.from_settings(get_settings())
    db.migrate()
    return PlatformStore(db)


@lti_app.command("add")
def lti_add(
    issuer: Annotated[str, typer.Option(help="the platform's issuer (iss), e.g. https://moodle.example.edu")],
    client_id: Annotated[str, typer.Option(help="the client id the platform gave the tool")],
    jwks_url: Annotated[str, typer.Option(help="the platform's public keyset URL")],
    auth_url: Annotated[str, typer.Option(help="the platform's OIDC authorization (auth login) URL")],
    token_url: Annotated[str, typer.Option(help="the platform's OAuth2 access token URL")],
    deployment: Annotated[list[str], typer.Option(help="a deployment id (repeat for several)")],
    institution: Annotated[str | None, typer.Option(help="default: INCLUSIO_INSTITUTION")] = None,
    staff_role: Annotated[
        str | None, typer.Option(help="the platform role that means disability services (its people: staff)")
    ] = None,
    keep_names: Annotated[
        bool, typer.Option("--keep-names", help="keep the launch's name as the account name")
    ] = False,
) -> None:
    """Register a platform (the same issuer and client id again adds deployment ids)."""
    try:
        row = _platforms().add(
            issuer=issuer,
            client_id=client_id,
            deployment_ids=deployment,
            jwks_url=jwks_url,
            auth_login_url=auth_url,
            token_url=token_url,
            institution=institution or get_settings().institution,
            staff_role=staff_role,
            keep_names=keep_names,
        )
    except InclusioError as exc:
        raise _fail(exc) from exc
    console.print(
        f"{row.id}  {escape(row.issuer)}  client {escape(row.client_id)}  deployments {', '.join(row.deployment_ids)}"
    )


@lti_app.command("list")
def lti_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every registered platform."""
    rows = _platforms().list()
    if as_json:
        fields = (
            "id",
            "issuer",
            "client_id",
            "deployment_ids",
            "jwks_url",
            "auth_login_url",
            "token_url",
            "institution",
            "staff_role",
            "keep_names",
        )
        console.print_json(data=[{f: getattr(r, f) for f in fields} for r in rows])
        return
    for r in rows:
        console.print(
            f"{r.id}  {escape(r.issuer)}  client {escape(r.client_id)}  deployments "
            f"{escape(', '.join(r.deployment_ids))}  institution {escape(r.institution)}"
        )


@lti_app.command("remove")
def lti_remove(platform_id: str) -> None:
    """Remove a registration: its launches are refused from now on (accounts and shares stay)."""
    if not _platforms().remove(platform_id):
        from inclusio.errors import RequestInvalid

        raise _fail(
            RequestInvalid(f"No platform {platform_id!r}.", message_fr=f"Aucune plateforme {platform_id!r}.")
        )
    console.print(f"{escape(platform_id)} removed")


@lti_app.command("jwks")
def lti_jwks() -> None:
    """Print the tool's public JWKS (what /lti/jwks publishes)."""
    from inclusio.lti import keys

    print(json.dumps(keys.jwks(get_settings().data_dir), indent=2))


@lti_app.command("rotate-key")
def lti_rotate_key() -> None:
    """A new signing key; the previous ones stay published until retired."""
    from inclusio.lti import keys

    key = keys.rotate(get_settings().data_dir)
    console.print(f"new signing key {key.kid}")


@lti_app.command("retire-key")
def lti_retire_key(kid: str) -> None:
    """Stop publishing an older key (once the platforms have the new one)."""
    from inclusio.lti import keys

    try:
        keys.retire(get_settings().data_dir, kid)
    except InclusioError as exc:
        raise _fail(exc) from exc
    console.print(f"{escape(kid)} retired")
