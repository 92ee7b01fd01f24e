"""Every figure of the three reports against a small institution counted by hand (tests/reports/report_world.py),
on SQLite and PostgreSQL, with the small-cell rule: a filter that isolates one student shows "< 5", and so does
the row that would give it back by subtraction; the counts shown are rounded to 5."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from report_world import NOW, World, build

from inclusio.auth.policy import Principal
from inclusio.config import Settings
from inclusio.errors import Forbidden, ReportFilterInvalid, ReportNotFound
from inclusio.reports.access import open_report
from inclusio.reports.build import Report, build_report
from inclusio.reports.export import table_csv
from inclusio.reports.privacy import HIDDEN, Hidden
from inclusio.reports.queries import ReportFilter

H = HIDDEN
UNI = ReportFilter(institution="uni")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if request.param == "sqlite":
        built = build(f"sqlite:///{tmp_path_factory.mktemp('reports') / 'r.db'}")
        yield built
        built.store.dispose()
        return
    from service_fixtures import _fresh_pg_database

    with _fresh_pg_database() as url:
        built = build(url)
        yield built
        built.store.dispose()


SETTINGS = SimpleNamespace(llm_price_per_million_tokens=20.0, llm_price_currency="EUR")


def report(world: World, name: str, f: ReportFilter = UNI, lang: str = "en") -> Report:
    with world.store.session() as session:
        return build_report(session, name, f, lang, SETTINGS, now=NOW)


def rows(rep: Report, table: str, *keys: str) -> list[tuple[Any, ...]]:
    return [
        tuple(str(r[k]) if isinstance(r.get(k), Hidden) else r.get(k) for k in keys)
        for r in rep.table(table).rows
    ]


# -- source accessibility ----------------------------------------------------------------------------


def test_audit_score_by_course_and_month_counts_each_document_once(world: World) -> None:
    rep = report(world, "source")
    assert rows(rep, "by_course_month", "course", "month", "documents", "score") == [
        ("BIO-101", "2026-03", 1, 60.0),
        ("BIO-101", "2026-04", 1, 90.0),
        ("MATH-200", "2026-04", 1, 30.0),
    ]
    assert rows(rep, "by_month", "month", "documents", "score") == [
        ("2026-03", 1, 60.0),
        ("2026-04", 2, 60.0),
    ]


def test_most_frequent_issues_with_documents_items_and_share(world: World) -> None:
    rep = report(world, "source")
    got = rows(rep, "issues", "check", "documents", "items", "share")
    assert got == [
        ("Images without alt text", 2, 8, pytest.approx(2 / 3)),
        ("No headings", 1, 1, pytest.approx(1 / 3)),
        ("Tables without headers", 1, 2, pytest.approx(1 / 3)),
    ]


def test_documents_to_fix_are_shared_ones_ranked_by_gain_with_small_cells_hidden(world: World) -> None:
    rep = report(world, "source")
    # gains: A (100-60)*5 = 200, C (100-30)*1 = 70, B (100-90)*6 = 60. C has one student: hidden; A, the other
    # row with the fewest students, is hidden with it; B shows 6 rounded to 5. The failed own upload E never.
    assert rows(rep, "to_fix", "title", "course", "score", "requests", "students") == [
        ("Photosynthèse", "BIO-101", 60, H, H),
        ("Intégrales", "MATH-200", 30, H, H),
        ("=La cellule", "BIO-101", 90, 5, 5),
    ]


def test_the_other_institution_is_never_counted_and_an_admin_can_ask_for_it(world: World) -> None:
    mine = report(world, "source")
    assert all(r["score"] != 10.0 for r in mine.table("by_course_month").rows)
    other = report(world, "source", ReportFilter(institution="other"))
    assert rows(other, "by_course_month", "course", "month", "documents", "score") == [
        ("(no course)", "2026-03", 1, 10.0)
    ]
    assert rows(other, "issues", "check", "documents", "items") == [("Scanned pages without text", 1, 4)]


# -- readability -----------------------------------------------------------------------------------


def test_readability_before_per_document_and_after_hidden_with_its_complement(world: World) -> None:
    rep = report(world, "readability")
    bio, math = rep.table("by_course").rows
    assert (bio["course"], bio["documents"], bio["mean_before"]) == ("BIO-101", 2, 47.5)
    assert (bio["before_30-50"], bio["before_50-60"], bio["before_0-30"]) == (1, 1, 0)
    assert (math["course"], math["documents"], math["mean_before"], math["before_0-30"]) == (
        "MATH-200",
        1,
        20.0,
        1,
    )
    # MATH-200's adapted versions come from one student: hidden; BIO-101's would give it back from any total
    assert math["students"] == H and math["mean_after"] == H and math["after_30-50"] == H
    assert bio["students"] == H and bio["mean_after"] == H and bio["after_70-80"] == H


def test_readability_of_one_course_shows_after_figures_rounded(world: World) -> None:
    rep = report(world, "readability", ReportFilter(institution="uni", course="BIO-101"))
    (bio,) = rep.table("by_course").rows
    # 12 adapted versions (T, A x5, B x6), 6 students: both shown rounded to 5; the mean is not a count
    assert (bio["students"], bio["after_70-80"], bio["mean_after"], bio["after_30-50"]) == (5, 10, 72.5, 0)


# -- service -----------------------------------------------------------------------------------------


def test_documents_by_profile_a_single_student_profile_and_its_complement_are_hidden(world: World) -> None:
    rep = report(world, "service")
    # dyslexia 11 requests / 5 students; easy-read 3 requests / 1 student (s6): hidden, and dyslexia with it
    assert rows(rep, "by_profile", "profile", "jobs", "students") == [
        ("dyslexia", H, H),
        ("easy-read", H, H),
        ("Total", 15, 5),
    ]


def test_a_filter_isolating_one_student_shows_less_than_five(world: World) -> None:
    only_s6 = report(world, "service", ReportFilter(institution="uni", course="MATH-200"))
    assert rows(only_s6, "by_profile", "profile", "jobs", "students") == [
        ("easy-read", H, H),
        ("Total", H, H),
    ]
    assert rows(only_s6, "tokens", "month", "tokens", "cost", "students") == [("2026-04", H, H, H)]
    assert rows(only_s6, "failures", "status", "code", "jobs") == [
        ("partial", "input.parts_lost", H),
        ("Total", "", H),
    ]
    one_day = report(
        world, "service", ReportFilter(institution="uni", start=date(2026, 4, 22), end=date(2026, 4, 22))
    )
    assert rows(one_day, "by_profile", "profile", "jobs", "students") == [("dyslexia", H, H), ("Total", H, H)]


def test_the_complementary_filter_does_not_give_the_student_back_by_subtraction(world: World) -> None:
    # 2026-04-22 isolates s2's failed request (E): "< 5" above. Its complement, everything up to the day
    # before, against everything: 13 requests of 6 students and 14 of 6, both shown 15 and 5 (rounded).
    everything = report(world, "service")
    before = report(world, "service", ReportFilter(institution="uni", end=date(2026, 4, 21)))
    assert rows(everything, "by_profile", "profile", "jobs", "students")[-1] == ("Total", 15, 5)
    assert rows(before, "by_profile", "profile", "jobs", "students")[-1] == ("Total", 15, 5)
    assert rows(everything, "failures", "status", "jobs")[0] == ("failed", H)


def test_outputs_and_downloads_by_format(world: World) -> None:
    rep = report(world, "service")
    assert rows(rep, "by_output", "format", "jobs", "students") == [
        ("epub", 5, 5),
        ("html", 5, 5),
        ("mp3", 5, 5),
    ]
    assert rows(rep, "downloads", "format", "downloads", "jobs", "students") == [
        ("epub", 5, 5, 5),
        ("html", 5, 5, 5),
        ("Total", 15, 10, 5),
    ]


def test_wait_from_upload_to_first_download_median_and_p95(world: World) -> None:
    rep = report(world, "service")
    assert rows(rep, "wait", "period", "jobs", "students", "median", "p95") == [
        ("Whole period", 10, 5, 10 * 3600, 20 * 3600),
        ("2026-03", 5, 5, 3 * 3600, 5 * 3600),
        ("2026-04", 5, 5, 10 * 3600, 20 * 3600),
    ]


def test_failures_flags_and_tokens(world: World) -> None:
    rep = report(world, "service")
    assert rows(rep, "failures", "status", "code", "jobs", "students") == [
        ("failed", "input.encrypted", H, H),
        ("partial", "input.parts_lost", H, H),
        ("Total", "", H, H),
    ]
    assert rows(rep, "flags", "age", "jobs", "passages", "oldest", "students") == [
        ("0-1", 0, 0, 0.0, 0),
        ("1-7", H, H, H, H),
        ("7-30", 0, 0, 0.0, 0),
        ("30+", 0, 0, 0.0, 0),
    ]
    # 20 per million tokens: 1,000 in March (0.02), 2,500 in April (0.05)
    assert rows(rep, "tokens", "month", "tokens", "cost", "students") == [
        ("2026-03", 1000, 0.02, 5),
        ("2026-04", 2500, 0.05, 5),
    ]


def test_document_type_filter(world: World) -> None:
    rep = report(world, "service", ReportFilter(institution="uni", doc_type="docx"))
    assert rows(rep, "failures", "status", "code", "jobs") == [
        ("failed", "input.encrypted", H),
        ("Total", "", H),
    ]
    assert (
        report(world, "source", ReportFilter(institution="uni", doc_type="docx")).table("by_month").rows == []
    )


# -- who sees what, and the audit log ----------------------------------------------------------------


def _svc(world: World) -> Any:
    return SimpleNamespace(
        store=world.store, users=world.users, settings=Settings(llm_price_per_million_tokens=20)
    )


def _who(world: World, name: str, role: str, institution: str = "uni") -> Principal:
    return Principal(id=world.ids[name], username=name, role=role, institution=institution)


def test_a_teacher_sees_their_own_courses_only_and_never_the_service_report(world: World) -> None:
    svc = _svc(world)
    t1 = open_report(svc, _who(world, "t1", "teacher"), "source", {}, "en")
    assert t1.teacher_courses == ("BIO-101",)
    assert {r["course"] for r in t1.report.table("by_course_month").rows} == {"BIO-101"}
    assert [r["title"] for r in t1.report.table("to_fix").rows] == ["Photosynthèse", "=La cellule"]
    # asking for another course gives nothing of it
    other = open_report(svc, _who(world, "t1", "teacher"), "source", {"course": "MATH-200"}, "en")
    assert other.report.table("by_course_month").rows == []
    t2 = open_report(svc, _who(world, "t2", "teacher"), "readability", {}, "en")
    (math,) = t2.report.table("by_course").rows
    assert math["course"] == "MATH-200" and math["students"] == H
    nothing = open_report(svc, _who(world, "t3", "teacher"), "source", {}, "en")
    assert nothing.teacher_courses == () and nothing.report.table("by_month").rows == []
    with pytest.raises(Forbidden):
        open_report(svc, _who(world, "t1", "teacher"), "service", {}, "en")
    with pytest.raises(Forbidden):
        open_report(svc, _who(world, "s1", "student"), "source", {}, "en")


def test_staff_are_kept_to_their_institution_and_bad_filters_are_coded(world: World) -> None:
    svc = _svc(world)
    staff = open_report(
        svc, _who(world, "staff_other", "staff", "other"), "source", {"institution": "uni"}, "en"
    )
    assert rows(staff.report, "by_course_month", "course", "score") == [("(no course)", 10.0)]
    with pytest.raises(ReportFilterInvalid):
        open_report(svc, _who(world, "staff", "staff"), "source", {"from": "2026-13-01"}, "en")
    with pytest.raises(ReportFilterInvalid):
        open_report(
            svc, _who(world, "staff", "staff"), "source", {"from": "2026-05-01", "to": "2026-04-01"}, "en"
        )
    with pytest.raises(ReportNotFound):
        open_report(svc, _who(world, "staff", "staff"), "nothing", {}, "en")


def test_every_view_and_export_is_in_the_audit_log(world: World) -> None:
    svc = _svc(world)
    who = _who(world, "staff", "staff")
    open_report(svc, who, "service", {}, "fr")
    open_report(svc, who, "source", {}, "fr", export="issues")
    actions = [e.action for e in world.users.audit_entries(institution="uni") if e.actor_id == who.id]
    assert actions[:2] == ["report.export.source", "report.view.service"]


def test_csv_export_shows_hidden_cells_and_quotes_formulas(world: World) -> None:
    text = table_csv(report(world, "source", lang="fr").table("to_fix"))
    lines = text.strip().split("\r\n")
    assert lines[0] == "Document,Cours,Score /100,Demandes,Étudiant·es"
    assert lines[1] == "Photosynthèse,BIO-101,60,< 5,< 5"
    assert lines[3] == "'=La cellule,BIO-101,90,5,5"
