"""The ``inclusio`` command: convert, score, profiles, voices, serve, worker.

The CLI contains no conversion logic: ``convert`` calls :func:`inclusio.pipeline.run_job`, the
same function the Celery worker calls. Heavy libraries are imported inside the commands so that
``inclusio --help`` starts fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from inclusio.config import Settings, get_settings
from inclusio.errors import (
    CliUsage,
    DiskFull,
    InclusioError,
    InputIsFolder,
    InputMissing,
    InputUnreadable,
    OutputNotFolder,
    as_inclusio_error,
    error_class_for,
    is_disk_full,
)

try:  # Typer >= 0.20 carries its own copy of Click, whose exceptions its commands raise
    from typer._click import exceptions as click_errors
except ImportError:  # an older Typer runs on the installed Click
    from click import exceptions as click_errors  # type: ignore[no-redef]

err_console = Console(stderr=True)
TRACEBACK_ENV = "INCLUSIO_TRACEBACK"
"""Set to 1 to see the Python traceback of an unexpected error (developers); people get a coded message."""


class SafeGroup(typer.core.TyperGroup):
    """The ``inclusio`` command: whatever goes wrong in any subcommand ends in a coded message, never a traceback.

    Click's usage errors (unknown option, missing argument, a value of the wrong type) keep Click's own
    message and get the ``cli.usage`` code with what to do, in English and French; an :class:`InclusioError`
    prints its code and both messages and exits with its exit code; anything else is ``internal.error`` (or
    ``system.disk_full``) with the exception's type and message (``INCLUSIO_TRACEBACK=1`` shows where).
    """

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except click_errors.NoArgsIsHelpError:
            raise
        except click_errors.UsageError as exc:  # an unknown option of ``inclusio`` itself
            raise _coded_usage(exc) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except click_errors.NoArgsIsHelpError:
            raise  # a group or command given nothing: its help is the answer
        except click_errors.UsageError as exc:
            raise _coded_usage(exc) from None
        except click_errors.ClickException:
            raise
        except InclusioError as exc:
            raise _fail(exc) from None
        except Exception as exc:  # noqa: BLE001 - the net under every subcommand
            if os.environ.get(TRACEBACK_ENV) == "1":
                err_console.print_exception()
            raise _fail(_unexpected(exc)) from None


def _coded_usage(exc: Any) -> Any:
    """Click's usage error with the ``cli.usage`` code and what to do, in English and French, under its message."""
    usage = CliUsage()
    return click_errors.UsageError(
        f"{exc.format_message()}\n[{usage.code}] {usage.message}\n[{usage.code}] {usage.message_fr}",
        ctx=exc.ctx,
    )


def _unexpected(exc: Exception) -> InclusioError:
    """The coded error for an exception no command expected (a permission denied is the person's to fix)."""
    if isinstance(exc, PermissionError) and exc.filename:
        return InputUnreadable(
            f"Permission denied on '{exc.filename}'. Check its permissions, or use a file or folder you can "
            "read and write.",
            message_fr=f"Permission refusée sur « {exc.filename} ». Vérifiez ses droits, ou utilisez un "
            "fichier ou un dossier que vous pouvez lire et écrire.",
        )
    error = as_inclusio_error(exc)
    if type(error) is InclusioError:
        return InclusioError(
            f"Unexpected error ({type(exc).__name__}: {exc}). Run it again with {TRACEBACK_ENV}=1 to see "
            "where, and report it.",
            message_fr=f"Erreur inattendue ({type(exc).__name__} : {exc}). Relancez avec {TRACEBACK_ENV}=1 "
            "pour voir où, et signalez-la.",
        )
    return error


app = typer.Typer(
    cls=SafeGroup,
    name="inclusio",
    help="Turn course materials into accessible, profile-specific versions (EPUB 3, HTML, MP3, braille, large "
    "print, report...: 'inclusio convert --help' lists every output).",
    no_args_is_help=True,
    add_completion=False,
)
profiles_app = typer.Typer(help="Learner profiles (YAML files in the profiles folder).", no_args_is_help=True)
app.add_typer(profiles_app, name="profiles")
voices_app = typer.Typer(help="Voix de synthèse installées / installed speech voices.", no_args_is_help=True)
app.add_typer(voices_app, name="voices")

DOCUMENT_HELP = "The course document."
"""The FILE argument's help; :class:`FormatsHelp` adds the registry's formats when the help is shown."""
OUTPUTS_HELP = "Comma-separated outputs (default: the profile's)."
"""The ``--to`` option's help; :class:`FormatsHelp` adds the writer registry's outputs when the help is shown."""


class FormatsHelp(typer.core.TyperCommand):
    """A command whose FILE help names the formats of the converter registry (``formats_label``) and whose
    ``--to`` help names every output of the writer registry (``output_names``).

    The registries are imported only when that help is shown: importing every converter at start-up would
    slow down each ``inclusio`` call, ``--help`` included.
    """

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from inclusio.converters.registry import formats_label
        from inclusio.writers.registry import output_names

        for param in self.params:
            if param.name == "file":
                param.help = f"{DOCUMENT_HELP[:-1]}: {formats_label('en')}."  # type: ignore[attr-defined]
            if param.name == "to":
                param.help = (  # type: ignore[attr-defined]
                    f"Comma-separated outputs among {', '.join(output_names())} (default: the profile's)."
                )
        super().format_help(ctx, formatter)


__import__("inclusio.cli_admin").cli_admin.register_service_commands(app, FormatsHelp)  # batch, users, db...


console = Console()


def _fail(error: InclusioError | dict[str, object]) -> typer.Exit:
    """Print a coded error (English and French) and return the exit to raise."""
    data = error.to_dict() if isinstance(error, InclusioError) else error
    code = str(data.get("code", "internal.error"))
    err_console.print(f"[bold red]error[/] {escape(f'[{code}]')} {escape(str(data.get('message', '')))}")
    if data.get("message_fr"):
        err_console.print(f"[dim]erreur[/] {escape(f'[{code}]')} {escape(str(data['message_fr']))}")
    return typer.Exit(code=error_class_for(code).exit_code)


def _tag(item: dict[str, object]) -> str:
    return f"[{item.get('code')}]"


def _settings() -> Settings:
    return get_settings()


@app.command(cls=FormatsHelp)
def convert(
    file: Annotated[Path, typer.Argument(help=DOCUMENT_HELP)],
    profile: Annotated[
        str, typer.Option("--profile", "-p", help="Profile name (see 'inclusio profiles list').")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the outputs.")] = Path("out"),
    to: Annotated[
        str | None,
        typer.Option("--to", help=OUTPUTS_HELP),
    ] = None,
    no_validate: Annotated[
        bool, typer.Option("--no-validate", help="Skip EPUBCheck on the EPUB (faster).")
    ] = False,
) -> None:
    """Convert FILE for a learner profile and write the outputs into OUT."""
    settings = _settings()
    if no_validate:
        settings = settings.model_copy(update={"validate_epub": False})
    outputs, chosen = _convert_inputs(file, profile, to, settings)
    output_folder(out)
    result = _run_with_bars(file, chosen, out, settings, outputs)
    _print_outcome(file, chosen, result)


def _convert_inputs(
    file: Path, profile: str, to: str | None, settings: Settings
) -> tuple[list[str] | None, Any]:
    """``convert``'s checks: the file is a readable document, the outputs are known, the profile loads;
    ``(outputs, profile)``. Each failure raises its coded error (printed by :class:`SafeGroup`)."""
    from inclusio.jobs.inputs import parse_outputs
    from inclusio.profiles import load_profile

    document_path(file, folder_hint=True)
    outputs = parse_outputs(to) if to is not None else None
    return outputs, load_profile(profile, settings.profiles_dir)


def document_path(file: Path, *, folder_hint: bool) -> Path:
    """``file`` if it is a document this process can read, else its coded error (``input.not_found``,
    ``input.is_folder``, suggesting ``batch`` when ``folder_hint``, ``input.unreadable``)."""
    if file.is_dir():
        if folder_hint:
            raise InputIsFolder(
                f"'{file}' is a folder, not a document. To convert every document in it, run "
                f"'inclusio batch {file} --profile P'; to convert one, give its path.",
                message_fr=f"« {file} » est un dossier, pas un document. Pour convertir tous ses documents, "
                f"lancez « inclusio batch {file} --profile P » ; pour en convertir un, donnez son chemin.",
            )
        raise InputIsFolder(
            f"'{file}' is a folder, not a document. Give the path of one document.",
            message_fr=f"« {file} » est un dossier, pas un document. Donnez le chemin d'un document.",
        )
    if not file.exists():
        raise InputMissing(
            f"No file at '{file}'. Check the path (a relative path starts from the current folder).",
            message_fr=f"Aucun fichier à « {file} ». Vérifiez le chemin (un chemin relatif part du dossier "
            "courant).",
        )
    if not file.is_file():  # a named pipe or a device: reading it could wait forever
        raise InputUnreadable(
            f"'{file}' is not a regular file (a pipe or a device). Save the document as a file and give its path.",
            message_fr=f"« {file} » n'est pas un fichier ordinaire (un tube ou un périphérique). Enregistrez le "
            "document dans un fichier et donnez son chemin.",
        )
    try:
        file.open("rb").close()
    except OSError as exc:
        raise InputUnreadable(
            f"'{file}' cannot be read ({exc.strerror}). Check its permissions (chmod u+r), or copy it into a "
            "folder you can read.",
            message_fr=f"« {file} » ne peut pas être lu ({exc.strerror}). Vérifiez ses droits (chmod u+r), ou "
            "copiez-le dans un dossier que vous pouvez lire.",
        ) from None
    return file


def output_folder(out: Path) -> Path:
    """``out``, created when missing; ``output.not_a_folder`` when it is a file or cannot be created there
    (``system.disk_full`` when the disk is full)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFull(details={"exception": type(exc).__name__}) from None
        what = "is an existing file" if out.exists() else f"cannot be created ({exc.strerror})"
        what_fr = "est un fichier existant" if out.exists() else f"ne peut pas être créé ({exc.strerror})"
        raise OutputNotFolder(
            f"The output folder '{out}' {what}. Give a folder with --out (it is created when missing), "
            "e.g. --out out/.",
            message_fr=f"Le dossier de sortie « {out} » {what_fr}. Indiquez un dossier avec --out (il est "
            "créé s'il manque), par ex. --out out/.",
        ) from None
    return out


def _run_with_bars(file: Path, chosen: Any, out: Path, settings: Settings, outputs: list[str] | None) -> Any:
    """:func:`run_job` with one progress bar per stage on stderr; a full disk exits with its code."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    from inclusio.pipeline.job import run_job, stage_fraction
    from inclusio.progress import STAGES

    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("[dim]{task.fields[note]}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    ) as bars:
        tasks = {stage: bars.add_task(stage, total=1.0, note="", start=False) for stage in STAGES}
        current: list[str] = []

        def on_progress(stage: str, overall: float, message: str) -> None:
            if not current or current[-1] != stage:
                for previous in current:
                    bars.update(tasks[previous], completed=1.0)
                current.append(stage)
                bars.start_task(tasks[stage])
            bars.update(tasks[stage], completed=stage_fraction(stage, overall), note=message[:40])

        try:
            result = run_job(
                file,
                chosen,
                out,
                settings=settings,
                outputs=outputs,
                filename=file.name,
                on_progress=on_progress,
            )
        except DiskFull as exc:  # no space left where it writes: the run stopped (exit 8)
            raise _fail(exc) from None
        for stage in current:
            bars.update(tasks[stage], completed=1.0)
    return result


def _print_outcome(file: Path, chosen: Any, result: Any) -> None:
    """Warnings and errors on stderr, the outputs' table on stdout; failed and partial runs exit non-zero."""
    _print_warnings(result.warnings, result.document)
    if result.status == "failed":
        raise _fail(result.errors[0])
    for error in result.errors:
        err_console.print(
            f"[red]error[/] {escape(_tag(error))} ({error.get('stage')}) {escape(str(error.get('message')))}"
        )
    table = Table(title=f"{file.name} → {chosen.id} ({result.status})")
    table.add_column("output")
    table.add_column("file")
    table.add_column("size", justify="right")
    for artifact in result.artifacts:
        table.add_row(artifact.name, str(artifact.path), f"{artifact.path.stat().st_size / 1024:.0f} KiB")
    console.print(table)
    if result.status == "partial":
        err_console.print(
            "[yellow]partial result: an output failed or a part of the document was lost (see the errors "
            "above and the report)[/]"
        )
        raise typer.Exit(code=10)


def cli_lang() -> str:
    """The language of the command's own messages: ``fr`` when the locale says French (``LANGUAGE``,
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, first set wins, as gettext reads them), else ``en``. Errors print
    both languages whatever it says."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def places_of(document: Any) -> dict[str, tuple[str, int]]:
    """``block id -> ("slide"|"page", number)``: the block's own source, else the page or slide marker it
    follows (formats whose blocks carry no position of their own)."""
    places: dict[str, tuple[str, int]] = {}
    current: tuple[str, int] | None = None
    for block in document.blocks if document is not None else []:
        if getattr(block, "type", None) == "page":
            current = (block.kind, block.number)
        own = block.source
        if own is not None and (own.slide or own.page):
            places[block.id] = ("slide", own.slide) if own.slide else ("page", own.page)
        elif current is not None:
            places[block.id] = current
    return places


PLACE_WORDS = {"en": {"slide": "slide", "page": "page"}, "fr": {"slide": "diapositive", "page": "page"}}


def warning_place(warning: dict[str, Any], places: dict[str, tuple[str, int]], lang: str) -> str:
    """``slide 12`` / ``diapositive 12`` / ``page 4`` for a warning that has a place, else ``""``: its own
    ``source`` (a converter's issue), else its block's."""
    source = warning.get("source") or {}
    place = (
        ("slide", source["slide"])
        if source.get("slide")
        else ("page", source["page"])
        if source.get("page")
        else places.get(str(warning.get("block_id")))
    )
    return f"{PLACE_WORDS[lang][place[0]]} {place[1]}" if place else ""


def _print_warnings(warnings: list[dict[str, Any]], document: Any, shown: int = 15) -> None:
    """The first ``shown`` warnings, each with its place (slide, page) and in the CLI's language."""
    from inclusio.warning_codes import message_for

    lang, places = cli_lang(), places_of(document)
    label, more = (
        ("avertissement", "autres avertissements dans le rapport")
        if lang == "fr"
        else (
            "warning",
            "more warnings in the report",
        )
    )
    for warning in warnings[:shown]:
        place = warning_place(warning, places, lang)
        where = (f"{place} : " if lang == "fr" else f"{place}: ") if place else ""  # French spaces its colon
        err_console.print(
            f"[yellow]{label}[/] {escape(_tag(warning))} {escape(where + message_for(warning, lang))}"
        )
    if len(warnings) > shown:
        err_console.print(f"[yellow]… {len(warnings) - shown} {more}[/]")


SCORE_WORDS = {
    "title": ("{name} ({lang}) : lisibilité ({formula})", "{name} ({lang}): readability ({formula})"),
    "section": ("section", "section"),
    "place": ("où", "where"),
    "words": ("mots", "words"),
    "passage": ("passage", "passage"),
    "ease": ("facilité de lecture (0-100)", "reading ease (0-100)"),
    "start": ("(début)", "(start)"),
    "whole": (
        "Document entier : {ease} sur 100, {band} ({words} mots, {wps} mots par phrase).",
        "Whole document: {ease} out of 100, {band} ({words} words, {wps} words per sentence).",
    ),
    "whole_short": (
        "Document entier : trop court pour être mesuré ({words} mots ; il en faut au moins {min}).",
        "Whole document: too short to measure ({words} words; at least {min} are needed).",
    ),
    "how": (
        "Les sections de moins de {min} mots sont mesurées avec leurs voisines (un même passage) ; "
        "« trop court » : aucune mesure n'aurait de sens.",
        "Sections under {min} words are measured with their neighbours (one passage); "
        "'too short': no score would mean anything.",
    ),
}
"""What ``inclusio score`` prints, French and English (its numbers are the teacher's feedback's)."""


@app.command(cls=FormatsHelp)
def score(
    file: Annotated[Path, typer.Argument(help=DOCUMENT_HELP)],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Print readability as the teacher's feedback gives it: one verdict for the document, sections pooled
    into passages of 100 words or more, scores from 0 to 100 (French: Kandel–Moles; English: Flesch reading
    ease), shorter documents and sections 'too short to measure'."""
    from inclusio.analysis.passages import readability_summary
    from inclusio.analysis.places import place_label, span_label
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert as convert_file
    from inclusio.web.teacher_words import TEACHER_TEXT

    settings = _settings()
    document_path(file, folder_hint=False)
    doc = convert_file(file, ConvertContext.from_settings(settings, file.name))
    summary = readability_summary(doc)
    if as_json:
        sys.stdout.write(json.dumps(summary.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n")
        return
    lang = cli_lang()
    index = 1 if lang == "en" else 0

    def w(key: str, **fields: Any) -> str:
        text = SCORE_WORDS[key][index] if key in SCORE_WORDS else TEACHER_TEXT[key][index]
        return text.format(**fields) if fields else text

    table = Table(title=escape(w("title", name=file.name, lang=summary.lang, formula=summary.formula or "–")))
    for column in ("section", "place", "words", "passage", "ease"):
        table.add_column(w(column), justify="right" if column in ("words", "ease") else "left")
    for section in summary.sections:
        passage = summary.passages[section.passage] if section.passage is not None else None
        where = ""
        if passage is not None:
            where = span_label(passage.first, passage.last, lang) or str(section.passage + 1)  # type: ignore[operator]
        table.add_row(
            escape((section.title or w("start"))[:60]),
            escape(place_label(section.place, lang)),
            str(section.words),
            escape(where),
            w("too_short") if passage is None else _fmt_ease(passage.reading_ease),
        )
    console.print(table)
    if summary.measured:
        band = w("band_" + summary.verdict) if summary.verdict else "–"
        console.print(
            w(
                "whole",
                ease=_fmt_ease(summary.reading_ease),
                band=band,
                words=summary.words,
                wps=f"{summary.words_per_sentence:.1f}",
            )
        )
    else:
        console.print(w("whole_short", words=summary.words, min=summary.min_words))
    console.print(f"[dim]{escape(w('how', min=summary.min_words))}[/]")


def _fmt_ease(value: int | None) -> str:
    return "–" if value is None else str(value)


@profiles_app.command("list")
def profiles_list() -> None:
    """List the available profiles."""
    from inclusio.profiles import list_profiles

    settings = _settings()
    try:
        profiles = list_profiles(settings.profiles_dir)
    except InclusioError as exc:
        raise _fail(exc) from exc
    table = Table(title=f"Profiles in {settings.profiles_dir}")
    table.add_column("id")
    table.add_column("nom")
    table.add_column("name")
    table.add_column("adaptation")
    table.add_column("outputs")
    for p in profiles:
        table.add_row(p.id, p.name.fr, p.name.en, p.adaptation.level, ",".join(p.outputs))
    console.print(table)


@profiles_app.command("schema")
def profiles_schema() -> None:
    """Print the profile JSON Schema (for editors)."""
    from inclusio.profiles import Profile

    sys.stdout.write(json.dumps(Profile.model_json_schema(), indent=1) + "\n")


@voices_app.command("list")
def voices_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Voix installées / installed voices: Piper voices (INCLUSIO_VOICES_DIR, voice packages) and espeak-ng's fallback."""
    from inclusio.tts.piper import installed_voices

    settings = _settings()
    voices = [voice.as_dict() for voice in installed_voices(settings.voices_dir)]
    fallback = [
        {
            "id": settings.speech_voice_fr,
            "lang": "fr",
            "quality": "-",
            "engine": "espeak-ng",
            "licence": "GPL-3.0-or-later",
        },
        {
            "id": settings.speech_voice_en,
            "lang": "en",
            "quality": "-",
            "engine": "espeak-ng",
            "licence": "GPL-3.0-or-later",
        },
    ]
    if as_json:
        sys.stdout.write(
            json.dumps({"engine": settings.tts_engine, "voices": voices + fallback}, indent=1) + "\n"
        )
        return
    folder = settings.voices_dir or "-"
    console.print(
        f"Moteur / engine: [bold]{settings.tts_engine}[/]   dossier des voix / voices folder: {escape(str(folder))}"
    )
    if not voices:
        console.print(
            "Aucune voix Piper installée : les textes sont lus par espeak-ng (voir docs/audio.md).\n"
            "No Piper voice installed: texts are read by espeak-ng (see docs/audio.md)."
        )
    table = Table(title="Voix / voices")
    for column in (
        "id",
        "langue / language",
        "qualité / quality",
        "moteur / engine",
        "licence",
        "origine / origin",
    ):
        # A voice's id is what a profile names: never cut, whatever the terminal's width.
        table.add_column(
            column,
            no_wrap=column == "id",
            min_width=max(len(str(v["id"])) for v in voices + fallback) if column == "id" else None,
        )
    for voice in voices + fallback:
        table.add_row(
            escape(str(voice["id"])),
            str(voice["lang"]),
            str(voice["quality"]),
            str(voice["engine"]),
            escape(str(voice["licence"])),
            escape(str(voice.get("origin", "Debian espeak-ng (fallback)"))),
        )
    console.print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Start the API and one worker on the embedded default (SQLite, no broker server needed)."""
    from inclusio.processes import serve as serve_service

    serve_service(_settings(), host=host, port=port)


@app.command()
def worker(
    queues: Annotated[str | None, typer.Option(help="Comma-separated queues to consume.")] = None,
    concurrency: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Start a Celery worker (production: several, against Redis or RabbitMQ)."""
    from inclusio.processes import run_worker

    run_worker(_settings(), queues=queues.split(",") if queues else None, concurrency=concurrency)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
