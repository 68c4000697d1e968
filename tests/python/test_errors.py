"""Refused input and other failures arrive as Python exceptions naming what to fix."""

import asyncio

import pytest

import tandem_ffi as tandem
from conftest import days_ago, today


def walk_plan(**changes) -> tandem.PlanInput:
    fields = dict(
        what="Walk",
        schedule=tandem.Schedule(repeat=tandem.Repeat.WEEKLY(days=[tandem.Weekday.MON]), times=["08:00"]),
        start=days_ago(7),
    )
    fields.update(changes)
    return tandem.PlanInput(**fields)


def test_a_rating_outside_0_to_10_names_the_field_and_writes_nothing(store):
    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        store.add_value(tandem.ValueInput(text="Family", life_area=tandem.LifeArea.FAMILY, importance=12))
    assert refused.value.field == "importance"
    assert refused.value.problem == "12 is outside 0–10"
    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        store.add_review(tandem.ReviewInput(date=today(), motivation=5, confidence=-1, progress=5))
    assert (refused.value.field, refused.value.problem) == ("confidence", "-1 is outside 0–10")
    assert store.journey().values == [] and store.journey().reviews == []


def test_dates_and_times_that_do_not_parse_are_refused(store):
    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        store.add_plan(walk_plan(start="31/03/2026"))
    assert refused.value.field == "start" and "31/03/2026" in refused.value.problem
    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        store.add_plan(
            walk_plan(schedule=tandem.Schedule(repeat=tandem.Repeat.EVERY_N_DAYS(n=2), times=["8am"]))
        )
    assert refused.value.field == "schedule.times"
    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        store.check_ins(today(), "soon")
    assert refused.value.field == "to"
    assert store.journey().plans == []


def test_the_core_s_own_checks_come_through_with_their_field(store):
    plan = store.add_plan(walk_plan())
    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        store.check_in(tandem.CheckInInput(plan_id=plan, date=days_ago(-1), outcome=tandem.Outcome.DONE))
    assert refused.value.field == "date" and "has not come yet" in refused.value.problem
    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        store.add_plan(walk_plan(duration_minutes=0))
    assert refused.value.field == "duration_minutes"
    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        store.add_strength(tandem.StrengthInput(text="   "))
    assert (refused.value.field, refused.value.problem) == ("text", "is empty")


def test_what_does_not_exist_is_not_found(store):
    with pytest.raises(tandem.TandemError.NotFound) as missing:
        store.add_step("no-such-goal", "First step")
    assert "goal" in missing.value.what
    with pytest.raises(tandem.TandemError.NotFound):
        store.check_in(tandem.CheckInInput(plan_id="no-such-plan", date=today(), outcome=tandem.Outcome.DONE))
    with pytest.raises(tandem.TandemError.NotFound):
        store.add_plan(walk_plan(goal_id="no-such-goal"))


def test_a_new_store_needs_a_known_time_zone(tmp_path):
    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        tandem.TandemStore(str(tmp_path / "new.db"), "Mars/Olympus_Mons")
    assert refused.value.field == "time_zone"


def test_a_store_where_there_can_be_none_is_a_storage_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(tandem.TandemError.Storage):
        tandem.TandemStore(str(blocker / "store.db"), None)


def test_sync_calls_before_joining_a_server_say_so(store):
    with pytest.raises(tandem.TandemError.Sync) as failed:
        asyncio.run(store.invite(tandem.InvitationKind.CLIENT))
    assert "enrol or join" in failed.value.detail
    with pytest.raises(tandem.TandemError.Sync):
        asyncio.run(store.sync_now())


def test_an_unreachable_server_is_a_sync_error(store):
    with pytest.raises(tandem.TandemError.Sync):
        asyncio.run(store.enrol("http://127.0.0.1:9", "AAAA-BBBB-CCCC"))
    with pytest.raises(tandem.TandemError.InvalidInput):
        store.linked_journey("not a document id")
