"""Administration commands of ``inclusio`` (the service as an operator runs it): ``batch``, ``cleanup``, ``users ...``, ``db ...``.

They work on the service's database, storage and queue directly (the settings of this machine),
as an operator on the server does; people use the API. Registered by one line in :mod:`inclusio.cli`.
"""

from __future__ import annotations

import getpass
import sys
import threading
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
    here: Annotated[
        bool,
        typer.Option(
            "--here",
            help="Convert the documents in this process, one after the other (no worker needed); the jobs "
            "are recorded as usual.",
        ),
    ] = False,
) -> None:
    """Submit every document of FOLDER to the queue as one batch, and follow it with a progress bar.

    Without --here a worker must listen on the queue ('inclusio worker' or 'inclusio serve'): when none does,
    the command says so (queue.no_worker) before it queues anything.
    """
    from inclusio.jobs import Submitter
    from inclusio.jobs.inputs import parse_outputs
    from inclusio.jobs.queue import QUEUES, job_kind, sender_for
    from inclusio.profiles import load_profile
    from inclusio.store.accounts import UserStore
    from inclusio.store.batches import BatchStore
    from inclusio.store.files import FileStore
    from inclusio.store.jobs import JobStore

    settings = get_settings()
    chosen = load_profile(profile, settings.profiles_dir)
    wanted = parse_outputs(to)
    paths, skipped = _folder_documents(folder)
    kind = job_kind(
        wanted or list(chosen.outputs), engine=settings.engine, adaptation_level=chosen.adaptation.level
    )
    if not here:
        _check_listening(settings, QUEUES[kind], follow)
    store = JobStore.from_settings(settings)
    store.migrate()
    users, files = UserStore(store.engine), FileStore.from_settings(settings)
    owner_id = _owner_id(users, owner)
    send = (lambda _kind, _job_id: None) if here else sender_for(settings)  # --here: this process runs them
    submitter = Submitter(settings=settings, store=store, files=files, send=send, users=users)
    batch_row = BatchStore(store.db).create(
        owner_id=owner_id, institution=settings.institution, name=folder.name
    )
    rejected, job_ids = _submit_all(submitter, paths, chosen, wanted, owner_id, batch_row.id)
    console.print(
        f"batch {batch_row.id}: {len(job_ids)} job(s) "
        + ("to convert here" if here else f"queued on '{kind}'")
        + (f", {rejected} file(s) refused" if rejected else "")
        + (f", {len(skipped)} file(s) skipped (not an accepted format)" if skipped else "")
    )
    runner = _run_here(settings, job_ids) if here else None
    if runner is None and not follow:
        return
    jobs = _follow_batch(store, batch_row.id, timeout, runner)
    counts: dict[str, int] = {}
    for job in jobs:
        counts[job.status] = counts.get(job.status, 0) + 1
    console.print(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    store.dispose()
    if counts.get("failed") or rejected:
        raise typer.Exit(10)


def _folder_documents(folder: Path) -> tuple[list[Path], list[Path]]:
    """:func:`batch_documents` of a folder that exists and holds documents, else its coded error."""
    from inclusio.converters.registry import formats_label
    from inclusio.errors import InputMissing, InputNoDocuments, InputNotFolder

    if not folder.exists():
        raise InputMissing(
            f"No folder at '{folder}'. Check the path (a relative path starts from the current folder).",
            message_fr=f"Aucun dossier à « {folder} ». Vérifiez le chemin (un chemin relatif part du dossier "
            "courant).",
        )
    if not folder.is_dir():
        raise InputNotFolder(
            f"'{folder}' is a file, not a folder of documents. To convert it, run 'inclusio convert {folder} "
            "--profile P'.",
            message_fr=f"« {folder} » est un fichier, pas un dossier de documents. Pour le convertir, lancez "
            f"« inclusio convert {folder} --profile P ».",
        )
    paths, skipped = batch_documents(folder)
    _say_skipped(skipped)
    if not paths:
        raise InputNoDocuments(
            f"No document ({formats_label('en')}) in '{folder}'. Put the documents directly in it "
            "(sub-folders are not read).",
            message_fr=f"Aucun document ({formats_label('fr')}) dans « {folder} ». Placez les documents "
            "directement dedans (les sous-dossiers ne sont pas lus).",
        )
    return paths, skipped


def _check_listening(settings: Any, queue: str, follow: bool) -> None:
    """``queue.no_worker`` when no worker listens on ``queue`` and the command would wait for one; with
    ``--no-follow`` only a notice (the jobs wait for the next worker). Unknown (another SQL broker): nothing."""
    from inclusio.errors import QueueNoWorker
    from inclusio.jobs.presence import worker_listening

    if worker_listening(settings, queue) is not False:
        return
    error = QueueNoWorker(
        f"No worker is listening on the '{queue}' queue: the jobs would wait until one starts. Start one in "
        "another terminal ('inclusio worker', or 'inclusio serve' for the API and a worker) and run the "
        "command again, or add --here to convert the documents in this process.",
        message_fr=f"Aucun processus de traitement (worker) n'écoute la file « {queue} » : les tâches "
        "attendraient qu'il en démarre un. Lancez-en un dans un autre terminal (« inclusio worker », ou "
        "« inclusio serve » pour l'API et un worker) puis relancez la commande, ou ajoutez --here pour "
        "convertir les documents dans ce processus.",
        details={"queue": queue},
    )
    if follow:
        raise error
    err_console.print(
        f"[yellow]notice[/] {escape(f'[{error.code}]')} No worker is listening on the '{queue}' queue yet: the "
        "jobs wait until one starts ('inclusio worker')."
    )
    err_console.print(
        f"[dim]avis[/] {escape(f'[{error.code}]')} Aucun worker n'écoute encore la file « {queue} » : les tâches "
        "attendent qu'il en démarre un (« inclusio worker »)."
    )


def _run_here(settings: Any, job_ids: list[str]) -> threading.Thread:
    """Run the batch's jobs one after the other in a thread of this process (``--here``); the caller follows
    them in the job table as it would follow a worker. A job this process cannot finish (Ctrl-C) is left to
    the watchdog of the next worker, as any job whose process stopped."""
    from inclusio.jobs import execute

    def run() -> None:
        for job_id in job_ids:
            execute(job_id, settings)

    runner = threading.Thread(target=run, name="inclusio-batch-here", daemon=True)
    runner.start()
    return runner


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
) -> tuple[int, list[str]]:
    """Store and submit every file of the batch: ``(how many were refused (too large, empty...), job ids)``."""
    from inclusio.jobs import submit
    from inclusio.jobs.uploads import store_document

    settings, rejected, job_ids = submitter.settings, 0, []
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
            job = submit(
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
        job_ids.append(job.id)
    return rejected, job_ids


def _follow_batch(store: Any, batch_id: str, timeout: float, runner: Any = None) -> list[Any]:
    """A progress bar per job and one for the batch until every job is finished (or ``timeout``, or the end
    of ``runner``, the thread running them with ``--here``, whatever it left unfinished)."""
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
            stopped = (
                runner is not None and not runner.is_alive()
            )  # before the read: its last record is in it
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
            if finished == len(jobs) or time.monotonic() > deadline or stopped:
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
        from inclusio.errors import PasswordTooShort

        raise _fail(PasswordTooShort())
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
        from inclusio.errors import PasswordTooShort

        raise _fail(PasswordTooShort())
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
        from inclusio.errors import RequestInvalid

        raise _fail(
            RequestInvalid(
                "Give an account name or --address.", message_fr="Indiquez un nom de compte ou --address."
            )
        )
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


def register_service_commands(app: typer.Typer, help_cls: Any = None) -> None:
    """Add the service commands to the ``inclusio`` command (``batch``'s help made by ``help_cls``: the
    writer registry's outputs for ``--to``)."""
    app.command(cls=help_cls)(batch)
    app.command()(cleanup)
    app.add_typer(users_app, name="users")
    app.add_typer(db_app, name="db")
    from inclusio.lti.cli import lti_app  # LTI 1.3 platforms and keys (issue #14)

    app.add_typer(lti_app, name="lti")
