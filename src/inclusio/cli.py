"""The ``inclusio`` command: convert, score, profiles, voices, serve, worker.

The CLI contains no conversion logic: ``convert`` calls :func:`inclusio.pipeline.run_job`, the
same function the Celery worker calls. Heavy libraries are imported inside the commands so that
``inclusio --help`` starts fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from inclusio.config import Settings, get_settings
from inclusio.errors import DiskFull, InclusioError, InputError, error_class_for

app = typer.Typer(
    name="inclusio",
    help="Turn course materials into accessible, profile-specific versions (EPUB 3, HTML, MP3, report).",
    no_args_is_help=True,
    add_completion=False,
)
profiles_app = typer.Typer(help="Learner profiles (YAML files in the profiles folder).", no_args_is_help=True)
app.add_typer(profiles_app, name="profiles")
voices_app = typer.Typer(help="Voix de synthèse installées / installed speech voices.", no_args_is_help=True)
app.add_typer(voices_app, name="voices")
__import__("inclusio.cli_admin").cli_admin.register_service_commands(app)  # batch, cleanup, users, db

DOCUMENT_HELP = "The course document."
"""The FILE argument's help; :class:`FormatsHelp` adds the registry's formats when the help is shown."""


class FormatsHelp(typer.core.TyperCommand):
    """A command whose FILE help names the formats of the converter registry (``formats_label``).

    The registry is imported only when that help is shown: importing every converter at start-up would
    slow down each ``inclusio`` call, ``--help`` included.
    """

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from inclusio.converters.registry import formats_label

        for param in self.params:
            if param.name == "file":
                param.help = f"{DOCUMENT_HELP[:-1]}: {formats_label('en')}."  # type: ignore[attr-defined]
        super().format_help(ctx, formatter)


console = Console()
err_console = Console(stderr=True)


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


def _fmt(value: float | None) -> str:
    """A score for a table cell; sections with nothing to score show a dash."""
    return "–" if value is None else f"{value:.1f}"


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
        typer.Option(
            "--to", help="Comma-separated outputs among epub,html,mp3,report,json (default: the profile's)."
        ),
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
    result = _run_with_bars(file, chosen, out, settings, outputs)
    _print_outcome(file, chosen, result)


def _convert_inputs(
    file: Path, profile: str, to: str | None, settings: Settings
) -> tuple[list[str] | None, Any]:
    """``convert``'s checks: the file exists, the outputs are known, the profile loads; ``(outputs, profile)``."""
    from inclusio.profiles import ALL_OUTPUTS, load_profile

    if not file.is_file():
        raise _fail(
            InputError(
                f"No file at '{file}'. Check the path.",
                message_fr=f"Aucun fichier à « {file} ». Vérifiez le chemin.",
            )
        )
    outputs = [part.strip() for part in to.split(",") if part.strip()] if to else None
    if outputs:
        unknown = [name for name in outputs if name not in ALL_OUTPUTS]
        if unknown:
            err_console.print(
                f"[bold red]error[/] unknown output(s) {', '.join(unknown)}; "
                f"choose among {', '.join(ALL_OUTPUTS)}"
            )
            raise typer.Exit(code=2)
    try:
        return outputs, load_profile(profile, settings.profiles_dir)
    except InclusioError as exc:
        raise _fail(exc) from exc


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
    for warning in result.warnings[:15]:
        err_console.print(f"[yellow]warning[/] {escape(_tag(warning))} {escape(str(warning.get('message')))}")
    if len(result.warnings) > 15:
        err_console.print(f"[yellow]… {len(result.warnings) - 15} more warnings in the report[/]")
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


@app.command(cls=FormatsHelp)
def score(
    file: Annotated[Path, typer.Argument(help=DOCUMENT_HELP)],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Print readability per section (French: Kandel–Moles; English: Flesch reading ease)."""
    from inclusio.analysis.readability import score_document
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert as convert_file

    settings = _settings()
    try:
        doc = convert_file(file, ConvertContext.from_settings(settings, file.name))
    except InclusioError as exc:
        raise _fail(exc) from exc
    scores = score_document(doc)
    if as_json:
        sys.stdout.write(json.dumps(scores.model_dump(), ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(title=f"{file.name} ({doc.lang}) — {scores.document.reading_ease_formula}")
    table.add_column("section")
    table.add_column("words", justify="right")
    table.add_column("words/sentence", justify="right")
    table.add_column("reading ease", justify="right")
    table.add_column("LIX", justify="right")
    for section in scores.sections:
        s = section.scores
        table.add_row(
            escape("  " * max(0, section.level - 1) + (section.title or "(start)")[:60]),
            str(s.words),
            _fmt(s.words_per_sentence),
            _fmt(s.reading_ease),
            _fmt(s.lix),
        )
    d = scores.document
    table.add_row(
        "[bold]whole document[/]", str(d.words), _fmt(d.words_per_sentence), _fmt(d.reading_ease), _fmt(d.lix)
    )
    console.print(table)


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
