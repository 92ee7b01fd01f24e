"""An erasure takes the person's short-lived LTI records with it (a session ticket, a deep-linking request, a
roster's access name the user in their data), and only theirs."""

from __future__ import annotations

from pathlib import Path

from service_helpers import make_settings, make_user

from inclusio.store.accounts import UserStore
from inclusio.store.erasure import erase_user_data
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore
from inclusio.store.lti import OnceStore


def test_an_erasure_removes_the_persons_lti_records_and_keeps_the_others(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    alice, _ = make_user(settings, "student", username="alice")
    bob, _ = make_user(settings, "student", username="bob")
    store = JobStore.from_settings(settings)
    try:
        once = OnceStore(store.db)
        assert once.put("ticket", "alice-ticket", {"user": alice, "next": "/web"}, seconds=600)
        assert once.put("deeplink", "alice-request", {"user": alice}, seconds=3600)
        assert once.put("ticket", "bob-ticket", {"user": bob, "next": "/web"}, seconds=600)
        assert once.put("nonce", "a-nonce", {}, seconds=600)

        users = UserStore(store.engine)
        done = erase_user_data(
            store, users, FileStore.from_settings(settings), alice, actor_id=alice, delete_account=True
        )

        assert done.account_deleted
        assert once.take("ticket", "alice-ticket") is None
        assert once.take("deeplink", "alice-request") is None
        assert once.take("ticket", "bob-ticket") == {"user": bob, "next": "/web"}
        assert once.take("nonce", "a-nonce") == {}
    finally:
        store.dispose()
