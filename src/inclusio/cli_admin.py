"""Administration commands of ``inclusio`` (the service as an operator runs it): ``batch``, ``cleanup``, ``users ...``, ``db ...``.

They work on the service's database, storage and queue directly (the settings of this machine),
as an operator on the server does; people use the API. Registered by one line in :mod:`inclusio.cli`.
"""

from __future__ import annotations

import getpass
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from inclusio.config import get_settings
from inclusio.errors import InclusioError, error_class_for

console = Console()
err_console = Console(stderr=True)
users_app = typer.Typer(help="Local accounts (students, teachers, staff, admins).", no_args_is_help=True)
db_app = typer.Typer(help="The service database (migrations).", no_args_is_help=True)


def batch_documents(folder: Path) -> tuple[list[Path], list[Path]]:
    """``(documents, skipped)`` of ``folder`` (not recursive): a document ends with a suffix of the
    converter registry; ``skipped`` are the other files (hidden files such as ``.DS_Store`` are ignored)."""
    from inclusio.converters.registry import accepted_suffixes

    if not folder.is_dir():
        return [], []
    suffixes = accepted_suffixes()
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    return [p for p in files if p.suffix.lower() in suffixes], [
        p for p in files if p.suffix.lower() not in suffixes
    ]


def _say_skipped(skipped: list[Path]) -> None:
    from inclusio.converters.registry import formats_label

    for path in skipped:
        err_console.print(
            f"[yellow]skipped[/] {escape(path.name)}: not an accepted format "
            f"({escape(formats_label('en'))}) / ignoré : format non pris en charge "
            f"({escape(formats_label('fr'))})"
        )


def _fail(error: InclusioError) -> typer.Exit:
    err_console.print(f"[bold red]error[/] {escape(f'[{error.code}]')} {escape(error.message)}")
    err_console.print(f"[dim]erreur[/] {escape(f'[{error.code}]')} {escape(error.message_fr)}")
    return typer.Exit(code=error_class_for(error.code).exit_code)


def batch(
    folder: Annotated[
        Path,
        typer.Argument(
            help="Folder of documents in every format of the converter registry (listed by "
            "'inclusio convert --help'); not recursive."
        ),
    ],
    profile: Annotated[str, typer.Option("--profile", "-p", help="Profile for every document.")],
    to: Annotated[
        str | None, typer.Option("--to", help="Comma-separated outputs (default: the profile's).")
    ] = None,
    owner: Annotated[str | None, typer.Option("--as", help="User name the jobs belong to.")] = None,
    follow: Annotated[bool, typer.Option("--follow/--no-follow", help="Wait and show progress.")] = True,
    timeout: Annotated[float, typer.Option(help="Stop following after this many seconds.")] = 24 * 3600,
) -> None:
    """Submit every document of FOLDER to the queue as one batch, and follow it with a progress bar."""
    from inclusio.jobs import Submitter
    from inclusio.jobs.inputs import parse_outputs
    from inclusio.jobs.queue import job_kind, sender_for
    from inclusio.profiles import load_profile
    from inclusio.store.accounts import UserStore
    from inclusio.store.batches import BatchStore
    from inclusio.store.files import FileStore
    from inclusio.store.jobs import JobStore

    settings = get_settings()
    try:
        chosen = load_profile(profile, settings.profiles_dir)
        wanted = parse_outputs(to)
    except InclusioError as exc:
        raise _fail(exc) from exc
    paths, skipped = batch_documents(folder)
    _say_skipped(skipped)
    if not paths:
        from inclusio.converters.registry import formats_label

        err_console.print(
            f"No document ({escape(formats_label('en'))}) in {escape(str(folder))}. / Aucun document "
            f"({escape(formats_label('fr'))})."
        )
        raise typer.Exit(3)
    store = JobStore.from_settings(settings)
    store.migrate()
    users, files = UserStore(store.engine), FileStore.from_settings(settings)
    owner_id = _owner_id(users, owner)
    submitter = Submitter(settings=settings, store=store, files=files, send=sender_for(settings), users=users)
    kind = job_kind(
        wanted or list(chosen.outputs), engine=settings.engine, adaptation_level=chosen.adaptation.level
    )
    batch_row = BatchStore(store.db).create(
        owner_id=owner_id, institution=settings.institution, name=folder.name
    )
    rejected = _submit_all(submitter, paths, chosen, wanted, owner_id, batch_row.id)
    console.print(
        f"batch {batch_row.id}: {len(paths) - rejected} job(s) queued on '{kind}'"
        + (f", {rejected} file(s) refused" if rejected else "")
        + (f", {len(skipped)} file(s) skipped (not an accepted format)" if skipped else "")
    )
    if not follow:
        return
    jobs = _follow_batch(store, batch_row.id, timeout)
    counts: dict[str, int] = {}
    for job in jobs:
        counts[job.status] = counts.get(job.status, 0) + 1
    console.print(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    store.dispose()
    if counts.get("failed") or rejected:
        raise typer.Exit(10)


def _owner_id(users: Any, owner: str | None) -> str | None:
    """The id of the user named ``owner`` (None for no owner); an unknown name exits with its code."""
    if not owner:
        return None
    user = users.by_username(owner)
    if user is None:
        from inclusio.errors import UserNotFound

        raise _fail(UserNotFound(details={"user": owner}))
    return user.id


def _submit_all(
    submitter: Any,
    paths: list[Path],
    chosen: Any,
    wanted: list[str] | None,
    owner_id: str | None,
    batch_id: str,
) -> int:
    """Store and submit every file of the batch; returns how many were refused (too large, empty, ...)."""
    from inclusio.jobs import submit
    from inclusio.jobs.uploads import store_document

    settings, rejected = submitter.settings, 0
    # Largest files first: the longest jobs start first, so no worker is left alone at the end of the batch.
    for path in sorted(paths, key=lambda p: -p.stat().st_size):
        try:
            with path.open("rb") as source:
                stored = store_document(
                    submitter.files, source, max_bytes=settings.max_upload_bytes, filename=path.name
                )
        except InclusioError as exc:
            rejected += 1
            err_console.print(
                f"[yellow]skipped[/] {escape(path.name)}: {escape(f'[{exc.code}]')} {escape(exc.message)}"
            )
            continue
        try:  # the job of a message the broker refused is failed (queue.unavailable), never left queued
            submit(
                submitter,
                stored,
                filename=path.name,
                profile=chosen,
                outputs=wanted,
                owner_id=owner_id,
                institution=settings.institution,
                batch_id=batch_id,
            )
        except InclusioError as exc:
            raise _fail(exc) from exc
    return rejected


def _follow_batch(store: Any, batch_id: str, timeout: float) -> list[Any]:
    """A progress bar per job and one for the batch until every job is finished (or ``timeout``)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from inclusio.store.jobs import JobFilter

    deadline = time.monotonic() + timeout
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        jobs = store.list(JobFilter(batch_id=batch_id), limit=100_000)
        overall = bar.add_task("batch", total=len(jobs))
        lines = {job.id: bar.add_task(escape(job.filename[:40]), total=100) for job in jobs}
        while True:
            jobs = store.list(JobFilter(batch_id=batch_id), limit=100_000)
            for job in jobs:
                label = f"{escape(job.filename[:40])} [dim]{job.status}{' · ' + job.stage if job.stage else ''}[/]"
                bar.update(
                    lines[job.id],
                    completed=100 if job.finished else int(job.progress * 100),
                    description=label,
                )
            finished = sum(job.finished for job in jobs)
            bar.update(overall, completed=finished)
            if finished == len(jobs) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    return jobs


def cleanup(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would be removed.")] = False,
) -> None:
    """Remove expired jobs (INCLUSIO_RETENTION_DAYS), unused originals, crash leftovers, consumed broker rows."""
    from inclusio.store.retention import cleanup as run_cleanup

    report = run_cleanup(get_settings(), dry_run=dry_run)
    console.print_json(data=report.summary())


@users_app.command("create")
def users_create(
    username: str,
    role: Annotated[str, typer.Option(help="student, teacher, staff or admin")] = "student",
    institution: Annotated[str | None, typer.Option(help="default: INCLUSIO_INSTITUTION")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Create a local account (asks for a password, or reads it from stdin)."""
    from inclusio.store.accounts import UserStore
    from inclusio.store.jobs import JobStore

    settings = get_settings()
    password = sys.stdin.readline().rstrip("\n") if password_stdin else getpass.getpass("Password: ")
    if len(password) < 8:
        err_console.print(
            "The password needs at least 8 characters. / Le mot de passe doit faire 8 caractères au moins."
        )
        raise typer.Exit(2)
    store = JobStore.from_settings(settings)
    store.migrate()
    try:
        user = UserStore(store.engine).create_user(
            username, role=role, institution=institution or settings.institution, password=password
        )
    except InclusioError as exc:
        raise _fail(exc) from exc
    console.print(f"{user.username} ({user.role}, {user.institution}): {user.id}")


@users_app.command("list")
def users_list() -> None:
    """Every account: id, name, role, institution."""
    from inclusio.store.accounts import UserStore
    from inclusio.store.jobs import JobStore

    store = JobStore.from_settings(get_settings())
    store.migrate()
    for user in UserStore(store.engine).list(limit=100_000):
        console.print(f"{user.id}  {escape(user.username)}  {user.role}  {escape(user.institution)}")


@users_app.command("passwd")
def users_passwd(
    username: str, password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False
) -> None:
    """Set a local account's password: every earlier token and web session of it ends, a sign-in lock is lifted."""
    from inclusio.errors import UserNotFound
    from inclusio.store.accounts import UserStore
    from inclusio.store.jobs import JobStore

    store = JobStore.from_settings(get_settings())
    store.migrate()
    users = UserStore(store.engine)
    user = users.by_username(username)
    if user is None:
        raise _fail(UserNotFound(details={"user": username}))
    password = sys.stdin.readline().rstrip("\n") if password_stdin else getpass.getpass("New password: ")
    if len(password) < 8:
        err_console.print(
            "The password needs at least 8 characters. / Le mot de passe doit faire 8 caractères au moins."
        )
        raise typer.Exit(2)
    revoked = users.set_password(user.id, password)
    from inclusio.store.throttle import Throttle

    Throttle(store.engine, get_settings()).unlock(username=user.username)  # a reset also lifts a sign-in lock
    console.print(
        f"password of {escape(username)} changed; {revoked} earlier token(s) and web session(s) revoked"
    )


@users_app.command("unlock")
def users_unlock(
    username: Annotated[str | None, typer.Argument(help="the account name (known or not)")] = None,
    address: Annotated[str | None, typer.Option(help="also lift the lock of this network address")] = None,
) -> None:
    """Lift a sign-in lock (too many wrong passwords) and forget the failures of an account and/or an address."""
    from inclusio.store.jobs import JobStore
    from inclusio.store.throttle import Throttle

    if not username and not address:
        err_console.print("Give an account name or --address. / Indiquez un nom de compte ou --address.")
        raise typer.Exit(2)
    settings = get_settings()
    store = JobStore.from_settings(settings)
    store.migrate()
    found = Throttle(store.engine, settings).unlock(username=username, address=address)
    what = " and ".join(escape(x) for x in (username, address) if x)
    console.print(f"{what}: unlocked" if found else f"{what}: nothing to unlock (no recent wrong password)")


@users_app.command("token")
def users_token(
    username: str,
    hours: Annotated[float | None, typer.Option(help="default: INCLUSIO_TOKEN_HOURS")] = None,
) -> None:
    """Print a new bearer token for an account (scripts, the first sign-in)."""
    from inclusio.errors import UserNotFound
    from inclusio.store.accounts import UserStore
    from inclusio.store.jobs import JobStore

    settings = get_settings()
    store = JobStore.from_settings(settings)
    store.migrate()
    users = UserStore(store.engine)
    user = users.by_username(username)
    if user is None:
        raise _fail(UserNotFound(details={"user": username}))
    token, _expires = users.issue_token(user.id, hours=hours or settings.token_hours)
    sys.stdout.write(token + "\n")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Run the migrations up to the newest revision (every service process also does at start)."""
    from inclusio.store.jobs import JobStore

    store = JobStore.from_settings(get_settings())
    console.print(f"database at revision {store.migrate()}")


@db_app.command("current")
def db_current() -> None:
    """The revision the database is at, and the newest one known."""
    from inclusio.store.jobs import JobStore
    from inclusio.store.migrate import current_revision, head_revision

    store = JobStore.from_settings(get_settings())
    console.print(f"current: {current_revision(store.engine)}  head: {head_revision()}")


def register_service_commands(app: typer.Typer) -> None:
    """Add the service commands to the ``inclusio`` command."""
    app.command()(batch)
    app.command()(cleanup)
    app.add_typer(users_app, name="users")
    app.add_typer(db_app, name="db")
