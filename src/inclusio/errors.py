"""Typed errors with stable codes and messages that say what to do.

Every failure a user can meet is an :class:`InclusioError` with:

* ``code``: stable, dotted, never reworded (``input.encrypted``); clients and tests key on it;
* ``message``: what happened and what to do, in English;
* ``message_fr``: the same for French-speaking users (the product speaks French first);
* ``http_status`` and ``exit_code``: how the API and the CLI report it (one mapping, here).

Add a new error as a subclass with its own code; never reuse a code for another meaning.
"""

from __future__ import annotations

import errno
from typing import Any, ClassVar


class InclusioError(Exception):
    """Base class. Subclasses set ``code``, ``http_status``, ``exit_code`` and default messages."""

    code: ClassVar[str] = "internal.error"
    http_status: ClassVar[int] = 500
    exit_code: ClassVar[int] = 1
    default_message: ClassVar[str] = "An unexpected error occurred. Report it with the job id."
    default_message_fr: ClassVar[str] = (
        "Une erreur inattendue s'est produite. Signalez-la avec le numéro de la tâche."
    )
    retryable: ClassVar[bool] = False

    def __init__(
        self,
        message: str | None = None,
        *,
        message_fr: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.message_fr = message_fr or self.default_message_fr
        self.details = details or {}
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used in job records, reports and API error bodies."""
        out: dict[str, Any] = {"code": self.code, "message": self.message, "message_fr": self.message_fr}
        if self.details:
            out["details"] = self.details
        return out

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


# -- input: the user's file ---------------------------------------------------------------------


class InputError(InclusioError):
    code = "input.invalid"
    http_status = 422
    exit_code = 3
    default_message = (
        "The file could not be read. Check that it opens on your computer, then upload it again."
    )
    default_message_fr = (
        "Le fichier n'a pas pu être lu. Vérifiez qu'il s'ouvre sur votre ordinateur, "
        "puis déposez-le de nouveau."
    )


class InputEmpty(InputError):
    code = "input.empty"
    default_message = "The file is empty (0 bytes). Upload the document again; the upload may have been cut."
    default_message_fr = (
        "Le fichier est vide (0 octet). Déposez le document de nouveau : l'envoi a pu être coupé."
    )


class InputUnsupported(InputError):
    code = "input.unsupported"
    http_status = 415
    # The formats are named by ``converters.registry.unsupported_error()``, which raises this error;
    # this default (never raised by the registry) does not list them, so it cannot fall out of date.
    default_message = (
        "This file type is not supported. Save the document in one of the formats the upload "
        "page lists and upload it again."
    )
    default_message_fr = (
        "Ce type de fichier n'est pas pris en charge. Enregistrez le document dans l'un des "
        "formats indiqués sur la page de dépôt, puis déposez-le de nouveau."
    )


class InputCorrupt(InputError):
    code = "input.corrupt"
    default_message = (
        "The file is damaged or truncated. Open it in its original application, save it "
        "again, and upload the new copy."
    )
    default_message_fr = (
        "Le fichier est endommagé ou tronqué. Ouvrez-le dans son application d'origine, "
        "enregistrez-le de nouveau et déposez la nouvelle copie."
    )


class InputEncrypted(InputError):
    code = "input.encrypted"
    default_message = (
        "The document is password-protected. Remove the password (or export an "
        "unprotected copy) and upload it again."
    )
    default_message_fr = (
        "Le document est protégé par un mot de passe. Retirez le mot de passe (ou exportez "
        "une copie non protégée), puis déposez-le de nouveau."
    )


class InputTooLarge(InputError):
    code = "input.too_large"
    http_status = 413
    default_message = "The document is larger than this server accepts. Split it into parts and upload them."
    default_message_fr = (
        "Le document dépasse la taille acceptée par ce serveur. Découpez-le en parties "
        "et déposez-les séparément."
    )


class InputUnsafe(InputError):
    code = "input.unsafe"
    default_message = (
        "The file contains constructs that could exhaust the server (XML entity declarations, "
        'as in a "billion laughs" attack); it was not opened. Save the document again from its '
        "application and upload the new copy."
    )
    default_message_fr = (
        "Le fichier contient des constructions qui pourraient épuiser le serveur (déclarations "
        "d'entités XML, comme dans une attaque « billion laughs ») ; il n'a pas été ouvert. "
        "Enregistrez de nouveau le document depuis son application et déposez la nouvelle copie."
    )


class InputNoContent(InputError):
    code = "input.no_content"
    default_message = "No text or picture was found in the document. Check that you uploaded the right file."
    default_message_fr = (
        "Aucun texte ni aucune image n'a été trouvé dans le document. Vérifiez que vous "
        "avez déposé le bon fichier."
    )


class InputPartsLost(InputError):
    """Not raised: recorded beside the outputs of a job whose document lost parts (the job is ``partial``)."""

    code = "input.parts_lost"
    default_message = (
        "Parts of the document could not be read (see the warnings): the outputs show them as unreadable. "
        "Open the file in its application, save it again and upload the new copy for a complete result."
    )
    default_message_fr = (
        "Des parties du document n'ont pas pu être lues (voir les avertissements) : les fichiers produits les "
        "signalent comme illisibles. Ouvrez le fichier dans son application, enregistrez-le de nouveau et "
        "déposez la nouvelle copie pour un résultat complet."
    )


# -- configuration and profiles -----------------------------------------------------------------


class ConfigError(InclusioError):
    code = "config.invalid"
    http_status = 500
    exit_code = 4
    default_message = "The server configuration is invalid. Ask the administrator to check the settings."
    default_message_fr = (
        "La configuration du serveur est invalide. Demandez à l'administrateur de vérifier les réglages."
    )


class ProfileNotFound(InclusioError):
    code = "profile.not_found"
    http_status = 404
    exit_code = 4
    default_message = "No profile has this name. Run 'inclusio profiles list' to see the available profiles."
    default_message_fr = (
        "Aucun profil ne porte ce nom. Lancez « inclusio profiles list » pour voir les profils disponibles."
    )


class ProfileInvalid(InclusioError):
    code = "profile.invalid"
    http_status = 422
    exit_code = 4
    default_message = "The profile file is invalid. Fix the field named in the message."
    default_message_fr = "Le fichier de profil est invalide. Corrigez le champ indiqué dans le message."


class ModelVersionError(InclusioError):
    code = "model.version"
    http_status = 422
    exit_code = 3

    def __init__(self, *, found: object, expected: int) -> None:
        super().__init__(
            f"This Document JSON has schema version {found!r}; this inclusio reads version {expected}. "
            "Convert the original file again with this version.",
            message_fr=(
                f"Ce JSON de document a la version de schéma {found!r} ; cette version d'inclusio lit "
                f"la version {expected}. Convertissez de nouveau le fichier d'origine."
            ),
            details={"found": found, "expected": expected},
        )


# -- stages -------------------------------------------------------------------------------------


class StageError(InclusioError):
    """A stage failed on a valid input (a writer, a validator, speech synthesis)."""

    code = "stage.failed"
    default_message = "A processing step failed. The other outputs are still available; retry this one later."
    default_message_fr = (
        "Une étape du traitement a échoué. Les autres résultats restent disponibles ; "
        "relancez celle-ci plus tard."
    )


class ToolMissing(StageError):
    """A system program the stage needs is not installed (espeak-ng, lame, java...)."""

    code = "system.tool_missing"
    exit_code = 5
    default_message = "A required system program is missing. Run the setup command from the README."
    default_message_fr = (
        "Un programme système nécessaire est absent. Lancez la commande d'installation du README."
    )


class LibreOfficeMissing(ToolMissing):
    """ODT/ODP input needs LibreOffice (``soffice``) to convert them to DOCX/PPTX first."""

    code = "system.libreoffice_missing"
    default_message = (
        "OpenDocument files (ODT, ODP) need LibreOffice, which is not installed on this server. "
        "Ask the administrator to install the Debian packages libreoffice-writer-nogui (ODT) and "
        "libreoffice-impress-nogui (ODP), or save the document as DOCX or PPTX and upload it again."
    )
    default_message_fr = (
        "Les fichiers OpenDocument (ODT, ODP) nécessitent LibreOffice, qui n'est pas installé sur "
        "ce serveur. Demandez à l'administrateur d'installer les paquets Debian "
        "libreoffice-writer-nogui (ODT) et libreoffice-impress-nogui (ODP), ou enregistrez le "
        "document en DOCX ou PPTX et déposez-le de nouveau."
    )


# -- jobs and service ---------------------------------------------------------------------------


class JobNotFound(InclusioError):
    code = "job.not_found"
    http_status = 404
    exit_code = 4
    default_message = "No job has this id. Check the id, or submit the document again."
    default_message_fr = "Aucune tâche ne porte ce numéro. Vérifiez-le, ou soumettez de nouveau le document."


class ArtifactNotFound(InclusioError):
    code = "artifact.not_found"
    http_status = 404
    exit_code = 4
    default_message = (
        "This job has no output with that name (yet). Check the job's 'artifacts' list; "
        "wait until the job has finished."
    )
    default_message_fr = (
        "Cette tâche n'a pas (encore) de résultat de ce nom. Consultez la liste 'artifacts' "
        "de la tâche ; attendez qu'elle soit terminée."
    )


class WorkerLost(InclusioError):
    code = "job.worker_lost"
    http_status = 500
    exit_code = 1
    retryable = True
    default_message = (
        "The conversion stopped unexpectedly (the worker process ended: out of memory, a crash "
        "on this file, or a restart). Submit the document again; if it fails again, report "
        "it with the job id."
    )
    default_message_fr = (
        "La conversion s'est arrêtée brutalement (le processus de traitement s'est terminé : "
        "mémoire insuffisante, plantage sur ce fichier ou redémarrage). Soumettez de nouveau "
        "le document ; si l'échec se répète, signalez-le avec le numéro de la tâche."
    )


class QueueUnavailable(InclusioError):
    code = "queue.unavailable"
    http_status = 503
    exit_code = 6
    retryable = True
    default_message = (
        "The job queue cannot be reached. Try again in a minute; if it persists, tell the administrator."
    )
    default_message_fr = (
        "La file des tâches est injoignable. Réessayez dans une minute ; si cela persiste, "
        "prévenez l'administrateur."
    )


class DiskFull(InclusioError):
    """No space left where the job writes (outputs, caches, stage records, the database)."""

    code = "system.disk_full"
    http_status = 507
    exit_code = 8
    retryable = True
    default_message = (
        "The disk is full: the work stopped and its unfinished files were removed. Free disk space "
        "(or ask the server's administrator to), then run the job again: the uploaded document is "
        "kept."
    )
    default_message_fr = (
        "Le disque est plein : le traitement s'est arrêté et ses fichiers inachevés ont été "
        "supprimés. Libérez de l'espace disque (ou demandez-le à l'administrateur du serveur), "
        "puis relancez la tâche : le document déposé est conservé."
    )


_DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
_DISK_FULL_TEXTS = ("no space left on device", "database or disk is full", "disk quota exceeded")
_DISK_FULL_SQLSTATE = "53100"
"""PostgreSQL's ``disk_full`` condition."""


def is_disk_full(exc: BaseException | None) -> bool:
    """True when ``exc``, or an exception it was raised from, says there is no space left.

    ``OSError`` with ``ENOSPC``/``EDQUOT``, SQLite's "database or disk is full", PostgreSQL's
    SQLSTATE 53100, or a tool's message quoting the system's "No space left on device".
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen and len(seen) < 20:
        seen.add(id(exc))
        if isinstance(exc, DiskFull):
            return True
        if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
            return True
        if getattr(exc, "sqlstate", None) == _DISK_FULL_SQLSTATE:
            return True
        if any(text in str(exc).lower() for text in _DISK_FULL_TEXTS):
            return True
        exc = exc.__cause__ or exc.__context__ or getattr(exc, "orig", None)
    return False


class RequestInvalid(InclusioError):
    code = "request.invalid"
    http_status = 400
    exit_code = 2
    default_message = (
        "The request is missing a field or has a wrong value. See the API documentation at /docs."
    )
    default_message_fr = (
        "La requête est incomplète ou contient une valeur incorrecte. Consultez la "
        "documentation de l'API sur /docs."
    )


class RequestNotFound(RequestInvalid):
    code = "request.not_found"
    http_status = 404
    default_message = "There is nothing at this address. See the API documentation at /docs."
    default_message_fr = "Il n'y a rien à cette adresse. Consultez la documentation de l'API sur /docs."


class ReadingTooComplex(RequestInvalid):
    """The ``reading`` settings JSON is larger or more deeply nested than reading settings ever are."""

    code = "request.reading_too_complex"
    default_message = (
        "The reading settings are too large or too deeply nested (at most 4 KB, 3 levels). Send only "
        'the settings you change, e.g. {"font_size_rem": 1.4, "colors": {"text": "#000000"}}.'
    )
    default_message_fr = (
        "Les réglages de lecture sont trop longs ou trop imbriqués (au plus 4 Ko, 3 niveaux). "
        'N\'envoyez que les réglages modifiés, par ex. {"font_size_rem": 1.4, '
        '"colors": {"text": "#000000"}}.'
    )


class ReviewUnreviewedFlags(InclusioError):
    """A release asked while some blocks are flagged and no person has reviewed them."""

    code = "review.unreviewed_flags"
    http_status = 409
    exit_code = 2
    default_message = (
        "Some blocks are flagged and not reviewed yet. Review the flagged blocks (shown first in the "
        "review workspace): edit or approve each one; or confirm that the student may get them "
        "unreviewed (accept_unreviewed)."
    )
    default_message_fr = (
        "Des blocs sont signalés et pas encore relus. Relisez les blocs signalés (affichés en "
        "premier dans l'espace de relecture) : modifiez ou approuvez chacun ; ou confirmez que "
        "l'étudiant·e peut les recevoir sans relecture (accept_unreviewed)."
    )


class ShareNotFound(InclusioError):
    code = "share.not_found"
    http_status = 404
    exit_code = 4
    default_message = (
        "No shared document has this id, or it is no longer shared. Ask your teacher to share it again."
    )
    default_message_fr = (
        "Aucun document partagé ne porte ce numéro, ou il n'est plus partagé. Demandez à votre "
        "enseignant·e de le partager de nouveau."
    )


class BatchNotFound(InclusioError):
    code = "batch.not_found"
    http_status = 404
    exit_code = 4
    default_message = "No batch has this id. Check the id, or submit the documents again."
    default_message_fr = "Aucun lot ne porte ce numéro. Vérifiez-le, ou soumettez de nouveau les documents."


class InputUnsafeArchive(InputError):
    code = "input.unsafe_archive"
    default_message = (
        "The zip file contains names that point outside the archive (../ or absolute paths) "
        "or unreadable entries. Create the zip again from the folder of documents."
    )
    default_message_fr = (
        "Le fichier zip contient des noms qui sortent de l'archive (../ ou chemins absolus) "
        "ou des entrées illisibles. Recréez le zip à partir du dossier des documents."
    )


# -- people and access --------------------------------------------------------------------------


class AuthRequired(InclusioError):
    code = "auth.required"
    http_status = 401
    exit_code = 7
    default_message = (
        "Sign in first: send 'Authorization: Bearer <token>' (get a token from POST /auth/token)."
    )
    default_message_fr = (
        "Connectez-vous d'abord : envoyez « Authorization: Bearer <jeton> » (obtenez un jeton "
        "avec POST /auth/token)."
    )


class AuthInvalid(AuthRequired):
    code = "auth.invalid"
    default_message = "The user name, password or token is wrong or has expired. Sign in again."
    default_message_fr = (
        "Le nom d'utilisateur, le mot de passe ou le jeton est incorrect ou a expiré. "
        "Connectez-vous de nouveau."
    )


class AuthThrottled(InclusioError):
    """Too many wrong passwords for this account name or from this address: the next attempt must wait."""

    code = "auth.throttled"
    http_status = 429
    exit_code = 7
    retryable = True
    default_message = "Too many wrong sign-in attempts. Wait a little (see Retry-After) and try again."
    default_message_fr = (
        "Trop de tentatives de connexion erronées. Patientez un peu (voir Retry-After) puis réessayez."
    )


class AuthLocked(InclusioError):
    """Sign-in is locked for this account name (or address) after too many wrong passwords."""

    code = "auth.locked"
    http_status = 423
    exit_code = 7
    default_message = (
        "Sign-in is locked after too many wrong passwords. Wait until the lock ends or ask an "
        "administrator to lift it ('inclusio users unlock NAME')."
    )
    default_message_fr = (
        "La connexion est bloquée après trop de mots de passe erronés. Attendez la fin du blocage "
        "ou demandez à un administrateur de le lever (« inclusio users unlock NOM »)."
    )


class Forbidden(InclusioError):
    code = "auth.forbidden"
    http_status = 403
    exit_code = 7
    default_message = (
        "Your account is not allowed to do this. Ask the disability-services staff if you need it."
    )
    default_message_fr = (
        "Votre compte n'a pas le droit de faire cela. Demandez au service handicap si vous en avez besoin."
    )


class UserNotFound(InclusioError):
    code = "user.not_found"
    http_status = 404
    exit_code = 4
    default_message = "No user has this id or name. Check it in the list of users."
    default_message_fr = (
        "Aucun utilisateur ne porte ce numéro ou ce nom. Vérifiez-le dans la liste des utilisateurs."
    )


class UserExists(InclusioError):
    code = "user.exists"
    http_status = 409
    exit_code = 4
    default_message = "A user with this name already exists. Choose another name."
    default_message_fr = "Un utilisateur porte déjà ce nom. Choisissez-en un autre."


# -- adaptation engine (LLM) ----------------------------------------------------------------------


class LLMNotConfigured(ConfigError):
    code = "llm.not_configured"
    default_message = (
        "INCLUSIO_ENGINE is 'mistral' but neither MISTRAL_API_KEY nor INCLUSIO_MISTRAL_SERVER_URL "
        "is set: the offline engine was used. Set them, or set INCLUSIO_ENGINE=offline."
    )
    default_message_fr = (
        "INCLUSIO_ENGINE vaut « mistral » mais ni MISTRAL_API_KEY ni INCLUSIO_MISTRAL_SERVER_URL "
        "n'est défini : le moteur hors ligne a été utilisé. Définissez-les, ou mettez "
        "INCLUSIO_ENGINE=offline."
    )


class LLMUnavailable(StageError):
    """The language model did not answer (timeouts, 429 or 5xx after every retry, connection refused)."""

    code = "llm.unavailable"
    retryable = True
    default_message = (
        "The language model did not answer in time (after retries): the offline result was "
        "used for these blocks and flagged. Run the job again later."
    )
    default_message_fr = (
        "Le modèle de langue n'a pas répondu à temps (après plusieurs essais) : le résultat "
        "hors ligne a été utilisé pour ces blocs et signalé. Relancez la tâche plus tard."
    )


class LLMRejected(StageError):
    """The server refused the request itself (bad key, unknown model, invalid request): retrying will not help."""

    code = "llm.rejected"
    default_message = (
        "The language model server refused the request (check the API key, the server URL and "
        "the model names): the offline result was used and flagged."
    )
    default_message_fr = (
        "Le serveur du modèle de langue a refusé la requête (vérifiez la clé d'API, l'adresse "
        "du serveur et les noms de modèles) : le résultat hors ligne a été utilisé et signalé."
    )


class LLMAnswerInvalid(StageError):
    """The model answered twice with something that is not the JSON asked for (or that drops content)."""

    code = "llm.answer_invalid"
    default_message = (
        "The language model's answer was not usable, twice: the offline result was used for "
        "these blocks and flagged for review."
    )
    default_message_fr = (
        "La réponse du modèle de langue était inutilisable, deux fois : le résultat hors ligne "
        "a été utilisé pour ces blocs et signalé pour relecture."
    )


# -- the command line (a person's mistake at the terminal: never a traceback) -------------------------


class InputMissing(InputError):
    code = "input.not_found"
    default_message = (
        "There is no file at this path. Check the path (a relative path starts from the current folder)."
    )
    default_message_fr = (
        "Il n'y a pas de fichier à cet emplacement. Vérifiez le chemin (un chemin relatif part du "
        "dossier courant)."
    )


class InputIsFolder(InputError):
    code = "input.is_folder"
    default_message = (
        "This is a folder, not a document. Give one document, or run 'inclusio batch FOLDER --profile P' "
        "to convert every document of a folder."
    )
    default_message_fr = (
        "C'est un dossier, pas un document. Indiquez un seul document, ou lancez « inclusio batch DOSSIER "
        "--profile P » pour convertir tous les documents d'un dossier."
    )


class InputNotFolder(InputError):
    code = "input.not_a_folder"
    default_message = (
        "This is a file, not a folder of documents. Give a folder, or run 'inclusio convert FILE --profile P' "
        "to convert one document."
    )
    default_message_fr = (
        "C'est un fichier, pas un dossier de documents. Indiquez un dossier, ou lancez « inclusio convert "
        "FICHIER --profile P » pour convertir un seul document."
    )


class InputNoDocuments(InputError):
    code = "input.no_documents"
    default_message = (
        "The folder holds no document in an accepted format. Put the documents directly in it (sub-folders "
        "are not read); 'inclusio convert --help' lists the formats."
    )
    default_message_fr = (
        "Le dossier ne contient aucun document d'un format pris en charge. Placez les documents directement "
        "dedans (les sous-dossiers ne sont pas lus) ; « inclusio convert --help » donne les formats."
    )


class InputUnreadable(InputError):
    code = "input.unreadable"
    default_message = (
        "The file cannot be read (permission denied). Check its permissions (chmod u+r FILE), or copy it "
        "into a folder you can read."
    )
    default_message_fr = (
        "Le fichier ne peut pas être lu (permission refusée). Vérifiez ses droits (chmod u+r FICHIER), ou "
        "copiez-le dans un dossier que vous pouvez lire."
    )


class OutputNotFolder(InclusioError):
    """``--out`` names an existing file, or a folder that cannot be created there."""

    code = "output.not_a_folder"
    http_status = 400
    exit_code = 2
    default_message = (
        "The output path is not a folder that can be written (an existing file, or a place where a folder "
        "cannot be created). Give a folder with --out: it is created when missing, e.g. --out out/."
    )
    default_message_fr = (
        "Le chemin de sortie n'est pas un dossier où écrire (un fichier existant, ou un endroit où aucun "
        "dossier ne peut être créé). Indiquez un dossier avec --out : il est créé s'il manque, par ex. "
        "--out out/."
    )


class CliUsage(RequestInvalid):
    """Click refused the command line (unknown option, missing argument, a value of the wrong type)."""

    code = "cli.usage"
    default_message = (
        "The command line is incomplete or has a wrong value (see above). Run the command with --help to "
        "see what it takes."
    )
    default_message_fr = (
        "La ligne de commande est incomplète ou contient une valeur incorrecte (voir ci-dessus). Lancez la "
        "commande avec --help pour voir ce qu'elle attend."
    )


class PasswordTooShort(RequestInvalid):
    code = "user.password_too_short"
    default_message = "The password needs at least 8 characters. Choose a longer one."
    default_message_fr = "Le mot de passe doit faire 8 caractères au moins. Choisissez-en un plus long."


class QueueNoWorker(InclusioError):
    """``inclusio batch`` found no worker listening on the queue its jobs would go to."""

    code = "queue.no_worker"
    http_status = 503
    exit_code = 6
    default_message = (
        "No worker is listening on the job queue: the jobs would wait until one starts. Start one in "
        "another terminal ('inclusio worker', or 'inclusio serve' for the API and a worker) and run the "
        "command again, or add --here to convert the documents in this process."
    )
    default_message_fr = (
        "Aucun processus de traitement (worker) n'écoute la file des tâches : les tâches attendraient "
        "qu'il en démarre un. Lancez-en un dans un autre terminal (« inclusio worker », ou « inclusio "
        "serve » pour l'API et un worker) puis relancez la commande, ou ajoutez --here pour convertir "
        "les documents dans ce processus."
    )


def as_inclusio_error(exc: BaseException) -> InclusioError:
    """Wrap anything unexpected so job records and API answers always carry a code.

    A full disk anywhere in the exception's chain is ``system.disk_full`` (whatever wrapped it).
    """
    if isinstance(exc, DiskFull):
        return exc
    if is_disk_full(exc):
        return DiskFull(details={"exception": type(exc).__name__})  # the path stays in the server's log
    if isinstance(exc, InclusioError):
        return exc
    return InclusioError(
        f"Unexpected error ({type(exc).__name__}: {exc}). Report it with the job id.",
        details={"exception": type(exc).__name__},
    )


def _all_error_classes() -> list[type[InclusioError]]:
    out: list[type[InclusioError]] = []
    pending: list[type[InclusioError]] = [InclusioError]
    while pending:
        cls = pending.pop()
        out.append(cls)
        pending.extend(cls.__subclasses__())
    return out


def error_class_for(code: str) -> type[InclusioError]:
    """The error class that owns ``code`` (for exit codes and HTTP statuses of stored errors)."""
    for cls in _all_error_classes():
        if cls.code == code:
            return cls
    return InclusioError


# -- LTI 1.3: launches from a learning platform (inclusio.lti) ------------------------------------


class LtiRefused(InclusioError):
    """A launch or login from a learning platform that inclusio refused (nothing was created)."""

    code = "lti.refused"
    http_status = 401
    exit_code = 7
    default_message = (
        "The course platform's request could not be checked. Open the activity again from your course; "
        "if it happens again, tell the platform's administrator."
    )
    default_message_fr = (
        "La demande de la plateforme de cours n'a pas pu être vérifiée. Rouvrez l'activité depuis votre "
        "cours ; si cela se reproduit, prévenez l'administrateur de la plateforme."
    )


class LtiUnknownPlatform(LtiRefused):
    code = "lti.unknown_platform"
    http_status = 403
    default_message = (
        "This course platform (issuer and client id) is not registered with inclusio. An administrator "
        "registers it ('inclusio lti add' or the LTI administration page), then open the activity again."
    )
    default_message_fr = (
        "Cette plateforme de cours (émetteur et identifiant client) n'est pas enregistrée dans inclusio. "
        "Un administrateur l'enregistre (« inclusio lti add » ou la page d'administration LTI), puis "
        "rouvrez l'activité."
    )


class LtiUnknownDeployment(LtiRefused):
    code = "lti.unknown_deployment"
    http_status = 403
    default_message = (
        "This deployment of the tool on the course platform is not registered with inclusio. An "
        "administrator adds its deployment id ('inclusio lti add --deployment'), then open the activity again."
    )
    default_message_fr = (
        "Ce déploiement de l'outil sur la plateforme de cours n'est pas enregistré dans inclusio. Un "
        "administrateur ajoute son identifiant de déploiement (« inclusio lti add --deployment »), puis "
        "rouvrez l'activité."
    )


class LtiBadSignature(LtiRefused):
    code = "lti.bad_signature"
    default_message = (
        "The launch is not signed by a key of the course platform: it was changed on the way or does not "
        "come from the platform. Open the activity again from your course."
    )
    default_message_fr = (
        "Le lancement n'est pas signé par une clé de la plateforme de cours : il a été modifié en route ou "
        "ne vient pas de la plateforme. Rouvrez l'activité depuis votre cours."
    )


class LtiExpired(LtiRefused):
    code = "lti.expired"
    default_message = (
        "The launch has expired (or its time is wrong). Open the activity again from your course; if it "
        "happens again, the clocks of the platform and of inclusio need to be set right."
    )
    default_message_fr = (
        "Le lancement a expiré (ou son heure est fausse). Rouvrez l'activité depuis votre cours ; si cela "
        "se reproduit, les horloges de la plateforme et d'inclusio doivent être remises à l'heure."
    )


class LtiWrongAudience(LtiRefused):
    code = "lti.wrong_audience"
    default_message = (
        "The launch was made for another tool (its audience is not inclusio's client id). Check the tool's "
        "client id in the platform, then open the activity again."
    )
    default_message_fr = (
        "Le lancement était destiné à un autre outil (son audience n'est pas l'identifiant client "
        "d'inclusio). Vérifiez l'identifiant client de l'outil dans la plateforme, puis rouvrez l'activité."
    )


class LtiReplayed(LtiRefused):
    code = "lti.replayed"
    default_message = (
        "This launch was already used, or its sign-in step is unknown or expired. Open the activity again "
        "from your course (a launch can be used once)."
    )
    default_message_fr = (
        "Ce lancement a déjà servi, ou son étape de connexion est inconnue ou expirée. Rouvrez l'activité "
        "depuis votre cours (un lancement ne sert qu'une fois)."
    )


class LtiBadMessage(LtiRefused):
    code = "lti.bad_message"
    http_status = 400
    default_message = (
        "The course platform sent a launch inclusio does not understand (not an LTI 1.3 resource link or "
        "deep-linking request, or a required claim is missing). Check the tool's settings in the platform."
    )
    default_message_fr = (
        "La plateforme de cours a envoyé un lancement qu'inclusio ne comprend pas (pas une demande LTI 1.3 "
        "de lien de ressource ou de lien profond, ou une information obligatoire manque). Vérifiez les "
        "réglages de l'outil dans la plateforme."
    )


class LtiPlatformUnreachable(LtiRefused):
    code = "lti.platform_unreachable"
    http_status = 503
    retryable = True
    default_message = (
        "inclusio could not read the course platform's public keys (its JWKS address). Try again in a "
        "minute; if it goes on, an administrator checks the platform's JWKS URL ('inclusio lti list')."
    )
    default_message_fr = (
        "inclusio n'a pas pu lire les clés publiques de la plateforme de cours (son adresse JWKS). "
        "Réessayez dans une minute ; si cela continue, un administrateur vérifie l'adresse JWKS de la "
        "plateforme (« inclusio lti list »)."
    )


class LtiLinkMissing(LtiRefused):
    code = "lti.link_missing"
    http_status = 404
    default_message = (
        "The document this course link points to is no longer shared in inclusio. Ask the teacher to add "
        "it to the course again."
    )
    default_message_fr = (
        "Le document de ce lien de cours n'est plus partagé dans inclusio. Demandez à l'enseignant de "
        "l'ajouter de nouveau au cours."
    )


class LtiWrongTarget(LtiRefused):
    code = "lti.wrong_target"
    http_status = 403
    default_message = (
        "The course platform sent this launch to another address than inclusio's (its target link URI is "
        "not this tool). An administrator checks the tool's URLs in the platform (docs/lms.md), then open "
        "the activity again."
    )
    default_message_fr = (
        "La plateforme de cours a envoyé ce lancement vers une autre adresse que celle d'inclusio (son "
        "« target link URI » n'est pas cet outil). Un administrateur vérifie les adresses de l'outil dans la "
        "plateforme (docs/lms.md), puis rouvrez l'activité."
    )


class LtiOtherCourse(LtiRefused):
    code = "lti.other_course"
    http_status = 403
    default_message = (
        "You opened inclusio from another course: your role there does not reach this course's page. Open "
        "inclusio from this course in your course platform."
    )
    default_message_fr = (
        "Vous avez ouvert inclusio depuis un autre cours : votre rôle dans ce cours-là ne vaut pas pour la "
        "page de ce cours. Ouvrez inclusio depuis ce cours dans votre plateforme de cours."
    )


class LtiNoPassword(Forbidden):
    """A password page asked by an account made by a course platform's launch (it has no password)."""

    code = "lti.no_password"
    default_message = (
        "Your account comes from your course platform: it has no password in inclusio, so there is none to "
        "change. Open inclusio from your course, as before."
    )
    default_message_fr = (
        "Votre compte vient de votre plateforme de cours : il n'a pas de mot de passe dans inclusio, il n'y "
        "en a donc pas à changer. Ouvrez inclusio depuis votre cours, comme d'habitude."
    )


class LtiOtherBrowser(LtiRefused):
    code = "lti.other_browser"
    default_message = (
        "This launch was not started in this browser, or your browser blocked inclusio's cookie inside the "
        "course page. Open inclusio in a new window (the link below, or the platform's 'open in a new "
        "window'); if it happens again, ask the platform's administrator to open the tool in a new window."
    )
    default_message_fr = (
        "Ce lancement n'a pas commencé dans ce navigateur, ou votre navigateur a bloqué le cookie d'inclusio "
        "dans la page du cours. Ouvrez inclusio dans une nouvelle fenêtre (le lien ci-dessous, ou « ouvrir "
        "dans une nouvelle fenêtre » de la plateforme) ; si cela se reproduit, demandez à l'administrateur de "
        "la plateforme d'ouvrir l'outil dans une nouvelle fenêtre."
    )


# -- web pages: the browser's own mistakes and the server's, as pages (inclusio.web) ----------------------


class PageNotFound(RequestNotFound):
    """An address under ``/web/`` that no page answers (a mistyped or outdated link)."""

    code = "page.not_found"
    default_message = (
        "There is no page at this address. Check the address, or go back to your home page and follow "
        "the links from there."
    )
    default_message_fr = (
        "Il n'y a pas de page à cette adresse. Vérifiez l'adresse, ou revenez à votre page d'accueil et "
        "suivez les liens à partir de là."
    )


class PageWrongMethod(RequestInvalid):
    """A ``/web/`` address opened the wrong way: typically a form's address reloaded or reached with Back."""

    code = "page.wrong_method"
    http_status = 405
    default_message = (
        "This address only receives a form; it cannot be opened as a page (for example after going back "
        "to a form you had sent). Go back to your home page and start again from its link."
    )
    default_message_fr = (
        "Cette adresse reçoit seulement un formulaire ; elle ne s'ouvre pas comme une page (par exemple "
        "en revenant à un formulaire déjà envoyé). Revenez à votre page d'accueil et recommencez à "
        "partir de son lien."
    )


class PageFailed(InclusioError):
    """A ``/web/`` page failed on an error of the server (a bug): the person sees a page, never a trace."""

    code = "page.failed"
    default_message = (
        "The page could not be shown because of an error on the server. Try again in a minute; if it "
        "happens again, tell the disability services the time and this error code."
    )
    default_message_fr = (
        "La page n'a pas pu être affichée à cause d'une erreur du serveur. Réessayez dans une minute ; "
        "si cela recommence, signalez au service handicap l'heure et ce code d'erreur."
    )


class ArtifactStaffOnly(InclusioError):
    """A student asked for a job's technical file (report, document JSON, audio timings) on the web pages."""

    code = "artifact.staff_only"
    http_status = 403
    exit_code = 7
    default_message = (
        "This file is a technical file for teachers and the disability services. Your document's page "
        "lists the files made for you: open it and choose one there."
    )
    default_message_fr = (
        "Ce fichier est un fichier technique réservé aux enseignants et au service handicap. La page de "
        "votre document liste les fichiers faits pour vous : ouvrez-la et choisissez-en un."
    )


class FontNotFound(InclusioError):
    """The reader's font address names a file that is not one of the fonts the server has."""

    code = "font.not_found"
    http_status = 404
    exit_code = 4
    default_message = (
        "This font is not available on this server. The reader uses another font instead; choose one in "
        "your display settings if you need a particular one."
    )
    default_message_fr = (
        "Cette police n'est pas disponible sur ce serveur. Le lecteur en utilise une autre ; choisissez-en "
        "une dans vos réglages d'affichage si vous en avez besoin."
    )


# -- reports for the institution (inclusio.reports, issue #15) ------------------------------------


class ReportNotFound(InclusioError):
    code = "report.not_found"
    http_status = 404
    exit_code = 4
    default_message = (
        "There is no such report or table. The reports are: source (accessibility of the course documents), "
        "readability and service; open one from the reports page."
    )
    default_message_fr = (
        "Ce rapport ou ce tableau n'existe pas. Les rapports sont : source (accessibilité des documents de "
        "cours), lisibilité et service ; ouvrez-en un depuis la page des rapports."
    )


class ReportFilterInvalid(RequestInvalid):
    code = "report.filter_invalid"
    default_message = (
        "A filter of the report has a wrong value: dates are written YYYY-MM-DD and the start comes before "
        "the end. Correct the filter and show the report again."
    )
    default_message_fr = (
        "Un filtre du rapport a une valeur incorrecte : les dates s'écrivent AAAA-MM-JJ et le début précède "
        "la fin. Corrigez le filtre et affichez de nouveau le rapport."
    )


# -- the job's analysis process (inclusio.pipeline.analysis_process) --------------------------------


class AnalysisProcessLost(StageError):
    """The child process that runs the analyse, adapt and verify stages of a large job ended without
    handing its results back (killed, out of memory, a crash in a library on this document)."""

    code = "job.analysis_process_lost"
    default_message = (
        "The analysis of the text stopped unexpectedly (its process ended: out of memory, or a crash on this "
        "document). Submit the document again; if it fails again, report it with the job id."
    )
    default_message_fr = (
        "L'analyse du texte s'est arrêtée brutalement (son processus s'est terminé : mémoire insuffisante, "
        "ou plantage sur ce document). Soumettez de nouveau le document ; si l'échec se répète, "
        "signalez-le avec le numéro de la tâche."
    )


class NoLearnerChosen(RequestInvalid):
    """A staff form for "each student ticked, with their own profile" (a batch) or for a cohort's profile was
    sent with no student ticked."""

    code = "request.no_learner_chosen"
    default_message = (
        "No student was ticked: tick at least one student in the form's list of students (each gets the "
        "documents in their own profile), or choose one profile for the whole batch, then send the form again "
        "(with its files: they were not kept)."
    )
    default_message_fr = (
        "Aucun·e étudiant·e n'a été coché·e : cochez au moins un·e étudiant·e dans la liste du formulaire "
        "(chacun·e reçoit les documents dans son propre profil), ou choisissez un seul profil pour tout le "
        "lot, puis renvoyez le formulaire (avec ses fichiers : ils n'ont pas été gardés)."
    )


class ProfileNotChosen(RequestInvalid):
    """A staff form (a batch, a profile for a cohort) was sent without a profile: none is chosen for them."""

    code = "request.profile_not_chosen"
    default_message = (
        "No profile was chosen: pick one in the form's profile list (none is chosen in advance), or, for a "
        "batch, 'each student ticked, with their own profile', then send the form again."
    )
    default_message_fr = (
        "Aucun profil n'a été choisi : choisissez-en un dans la liste des profils du formulaire (aucun n'est "
        "choisi d'avance), ou, pour un lot, « chaque étudiant·e coché·e, avec son profil », puis renvoyez le "
        "formulaire."
    )


class PreviewFailed(InclusioError):
    """The teacher's preview of a document could not be made (an unexpected failure; the file's own
    faults, such as a password, keep their own code)."""

    code = "preview.failed"
    http_status = 500
    default_message = (
        "The preview of this document could not be made. Open the conversion's page from your documents to "
        "see whether the conversion went through, or upload the file again; if it fails again, report it."
    )
    default_message_fr = (
        "L'aperçu de ce document n'a pas pu être fait. Ouvrez la page de la conversion depuis vos documents "
        "pour voir si elle a abouti, ou envoyez de nouveau le fichier ; si l'échec se répète, signalez-le."
    )
