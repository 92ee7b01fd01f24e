"""Running a block-by-block pass through the model: cache first, then batched calls in parallel.

:func:`run_batched` is shared by the rewrite and translation passes:

1. each unit (a block with its section title) is looked up in the cache by its own key (pass,
   prompt version, model, text, section and course title, the pass settings): a hit costs no call;
2. the misses are grouped in batches (:func:`inclusio.adapt.batching.batches`) and sent in
   parallel (at most ``llm_concurrency`` in flight); the answer must be the JSON asked for with
   exactly the ids sent, or it is asked again once (:meth:`LLMSession.ask_json`);
3. each block's answer is checked by the pass with the verifier (:mod:`inclusio.analysis.verify`);
   the blocks refused are asked again once, together, and the second request's user message
   names each block's findings ("the number 6 in '6 CO2' became 7"); still refused, they are
   returned as failed with :class:`~inclusio.errors.LLMAnswerInvalid` (``details["findings"]``)
   and the pass falls back to its offline result and flags it (:func:`fallback_flag`). A cached
   answer is verified again (the verifier may have become stricter): refused, it is asked anew;
4. accepted answers are cached per block, with their creation time (a re-run reproduces the
   same provenance); so are refusals of a block's content (a re-run reproduces the fallback and
   its flag). Failures of a whole call (server unavailable, malformed JSON twice) are not
   cached: a re-run tries again.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from inclusio.adapt.batching import Batch, Unit, batches
from inclusio.adapt.context import AdaptContext
from inclusio.analysis.verify import Verdict, finding
from inclusio.errors import InclusioError, LLMAnswerInvalid
from inclusio.llm.base import ChatRequest
from inclusio.llm.cache import cache_key
from inclusio.llm.prompts import Prompt, data_message, repair_message
from inclusio.model.document import Flag

ProgressFn = Callable[[float, str], None]


@dataclass
class Done:
    value: Any
    created_at: str
    cached: bool


@dataclass
class BatchedPass:
    """What a pass tells :func:`run_batched`."""

    name: str
    prompt: Prompt
    model: str
    task: dict[str, Any]
    """Settings shown to the model (TASK line) and part of every cache key."""
    schema: type[BaseModel]
    answers: Callable[[Any], dict[str, Any]]
    """Parsed answer -> {block id: JSON-ready value}."""
    check: Callable[[Unit, Any], Verdict | str | None]
    """The verifier's verdict on one block's value (or a reason to refuse it, or None)."""
    course: str = ""
    lang: str = "fr"
    data_of: Callable[[Batch], Any] | None = None
    """The DATA of a batch; default ``{"course", "sections": [{"title", "blocks": {id: text}}]}``."""


def _key(spec: BatchedPass, unit: Unit) -> str:
    return cache_key(
        pass_name=spec.name,
        prompt_version=spec.prompt.version,
        model=spec.model,
        content={"text": unit.text, "section": unit.section, "course": spec.course, "lang": spec.lang}
        | ({"acronyms": unit.acronyms} if unit.acronyms else {}),
        settings=spec.task,
    )


def refusal(result: Verdict | str | None) -> str | None:
    """The reason a check result refuses a value (None: accepted)."""
    return result.reason() if isinstance(result, Verdict) else result


def fallback_flag(error: InclusioError) -> Flag:
    """The flag of a block whose model answer was not used (refused twice, or the call failed)."""
    reasons = error.details.get("findings") or error.details.get("reasons") or []
    text = "; ".join(str(r) for r in reasons[-1:]) if reasons else error.code
    return finding("adapt.model_fallback", text=text if reasons else error.code).flag()


def _request(spec: BatchedPass, batch: Batch, repair: dict[str, str] | None = None) -> ChatRequest:
    if spec.data_of:
        data = spec.data_of(batch)
    else:
        data = {"course": spec.course, "sections": batch.sections()}
        if batch.acronyms():
            # Meanings of the blocks' own acronyms (the document's long form, a person's or the lexicon's):
            # the rewrite may write them out in brackets; its verifier accepts exactly these.
            data = {"course": spec.course, "acronyms": batch.acronyms(), "sections": batch.sections()}
    user = data_message(spec.task, data)
    if repair:
        user = repair_message(user, repair)
    return ChatRequest(model=spec.model, system=spec.prompt.text, user=user)


def _ids_check(spec: BatchedPass, batch: Batch) -> Callable[[Any], str | None]:
    wanted = [u.block_id for u in batch.units]

    def check(parsed: Any) -> str | None:
        got = list(spec.answers(parsed))
        if sorted(got) != sorted(wanted):
            missing = sorted(set(wanted) - set(got))
            extra = sorted(set(got) - set(wanted))
            return f"ids do not match the DATA (missing {missing}, unexpected {extra})"
        return None

    return check


def _ask(
    ctx: AdaptContext, spec: BatchedPass, batch: Batch, repair: dict[str, str] | None = None
) -> dict[str, Any]:
    assert ctx.session is not None
    parsed, _ = ctx.session.ask_json(
        _request(spec, batch, repair),
        spec.schema,
        pass_name=spec.name,
        source_tokens=batch.tokens,
        check=_ids_check(spec, batch),
    )
    return spec.answers(parsed)


def _run_batch(
    ctx: AdaptContext, spec: BatchedPass, batch: Batch
) -> tuple[dict[str, Done], dict[str, InclusioError]]:
    done: dict[str, Done] = {}
    failed: dict[str, InclusioError] = {}
    try:
        values = _ask(ctx, spec, batch)
    except InclusioError as exc:
        return done, {u.block_id: exc for u in batch.units}
    refused = {
        u.block_id: reason for u in batch.units if (reason := refusal(spec.check(u, values[u.block_id])))
    }
    if refused:
        again = Batch([u for u in batch.units if u.block_id in refused])
        try:
            ctx.session.stats.add(spec.name, invalid_answers=len(refused))  # type: ignore[union-attr]
            second = _ask(ctx, spec, again, repair=refused)
        except InclusioError as exc:
            second = {}
            failed.update({bid: exc for bid in refused})
        for unit in again.units:
            if unit.block_id in failed:
                continue
            reason = refusal(spec.check(unit, second[unit.block_id]))
            if reason is None:
                values[unit.block_id] = second[unit.block_id]
                refused.pop(unit.block_id)
            else:
                failed[unit.block_id] = LLMAnswerInvalid(
                    details={
                        "pass": spec.name,
                        "block": unit.block_id,
                        "reasons": [refused[unit.block_id], reason],
                        "findings": [reason],
                    }
                )
    for unit in batch.units:
        error = failed.get(unit.block_id)
        if isinstance(error, LLMAnswerInvalid):
            # Remember the refusal too: a re-run reproduces the fallback and its flag without a call
            # (the model would most likely give the same answer to the same request).
            ctx.cache_put(
                _key(spec, unit),
                {"refused": error.details.get("reasons", []), "created_at": ctx.created_at},
                pass_name=spec.name,
                model=spec.model,
                prompt_version=spec.prompt.version,
            )
        if error is not None:
            continue
        value = values[unit.block_id]
        done[unit.block_id] = Done(value, ctx.created_at, cached=False)
        ctx.cache_put(
            _key(spec, unit),
            {"value": value, "created_at": ctx.created_at},
            pass_name=spec.name,
            model=spec.model,
            prompt_version=spec.prompt.version,
        )
    return done, failed


def run_batched(
    ctx: AdaptContext,
    spec: BatchedPass,
    units: list[Unit],
    *,
    max_units: int | None = None,
    on_progress: ProgressFn | None = None,
) -> tuple[dict[str, Done], dict[str, InclusioError]]:
    """Answers by block id (cached or fresh) and failures by block id (see the module doc)."""
    assert ctx.session is not None, "run_batched needs a model session"
    done: dict[str, Done] = {}
    failed: dict[str, InclusioError] = {}
    misses: list[Unit] = []
    for unit in units:
        hit = ctx.cache_get(_key(spec, unit))
        if hit is not None and "refused" in hit:
            failed[unit.block_id] = LLMAnswerInvalid(
                details={"pass": spec.name, "block": unit.block_id, "reasons": hit["refused"], "cached": True}
            )
            ctx.session.stats.add(spec.name, cache_hits=1)
        elif hit is not None and refusal(spec.check(unit, hit["value"])) is None:
            done[unit.block_id] = Done(hit["value"], hit["created_at"], cached=True)
            ctx.session.stats.add(spec.name, cache_hits=1)
        else:
            misses.append(unit)
    todo = list(batches(misses, ctx.settings.llm_batch_tokens, max_units=max_units))
    if not todo:
        return done, failed
    finished = 0
    with ThreadPoolExecutor(
        max_workers=ctx.session.limits.concurrency, thread_name_prefix=f"llm-{spec.name}"
    ) as pool:
        for batch_done, batch_failed in pool.map(lambda b: _run_batch(ctx, spec, b), todo):
            done.update(batch_done)
            failed.update(batch_failed)
            finished += 1
            if on_progress:
                on_progress(finished / len(todo), f"{spec.name}: {finished}/{len(todo)} calls")
    return done, failed
