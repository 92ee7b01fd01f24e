"""Typed failures through the service (issue #19, point 5): a hostile PDF fails its job with
``input.corrupt``, never ``internal.error``, and the worker goes on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import hostile_pdf
from service_helpers import RunningWorker, api_client, make_settings, submit, wait_finished

from inclusio.config import Settings


def test_a_looping_page_tree_fails_the_job_with_input_corrupt(
    tmp_path: Path, start_worker: Callable[[Settings], RunningWorker], small_pdf: Path
) -> None:
    settings = make_settings(tmp_path)
    worker = start_worker(settings)
    client = api_client(settings)
    ids = {}
    for make in (hostile_pdf.kids_loop_with_huge_count, hostile_pdf.parent_loop):
        path = tmp_path / f"{make.__name__}.pdf"
        path.write_bytes(make())
        ids[make.__name__] = submit(client, path, outputs="json,report", media_type="application/pdf")
    for job_id in ids.values():
        job = wait_finished(client, job_id, worker)
        assert job["status"] == "failed", job
        [error] = job["errors"]
        assert error["code"] == "input.corrupt" and error["stage"] == "convert", error
        assert error["message_fr"]
    good = wait_finished(
        client, submit(client, small_pdf, outputs="json,report", media_type="application/pdf"), worker
    )
    assert good["status"] == "succeeded", good["errors"]
