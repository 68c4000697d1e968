"""Reminders the phone schedules as local notifications, so they go off offline."""

import datetime
from zoneinfo import ZoneInfo

import tandem_ffi as tandem
from conftest import days_ago, today

LONDON = ZoneInfo("Europe/London")


def at_london(date: str, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        datetime.date.fromisoformat(date), datetime.time(hour, minute), tzinfo=LONDON
    )


def daily(what: str, times, reminder: bool = True) -> tandem.PlanInput:
    return tandem.PlanInput(
        what=what,
        schedule=tandem.Schedule(repeat=tandem.Repeat.EVERY_N_DAYS(n=1), times=times),
        start=days_ago(3),
        reminder=reminder,
    )


def test_an_evening_walk_is_reminded_each_evening_until_checked_in(store):
    walk = store.add_plan(daily("Evening walk", ["20:00"]))
    store.add_plan(daily("Vitamins", ["08:00"], reminder=False))
    morning = at_london(today(), 7)

    reminders = store.reminders(2, morning)
    assert [(r.what, r.date, r.time) for r in reminders] == [
        ("Evening walk", today(), "20:00"),
        ("Evening walk", days_ago(-1), "20:00"),
    ]
    assert reminders[0].at == at_london(today(), 20)
    assert reminders[0].plan_id == walk

    # Walked early today: tonight's reminder goes, tomorrow's stays.
    store.check_in(tandem.CheckInInput(plan_id=walk, date=today(), outcome=tandem.Outcome.DONE))
    assert [r.date for r in store.reminders(2, morning)] == [days_ago(-1)]


def test_a_plan_without_a_time_is_reminded_at_nine(store):
    store.add_plan(daily("Drink water", []))
    (first, *_) = store.reminders(3, at_london(today(), 7))
    assert first.time is None
    assert first.at == at_london(today(), 9)


def test_reminders_already_past_are_left_out_and_the_look_ahead_is_bounded(store):
    store.add_plan(daily("Evening walk", ["20:00"]))
    late = at_london(today(), 21)
    assert [r.date for r in store.reminders(1, late)] == [days_ago(-1)]
    assert len(store.reminders(10_000, late)) == 366  # a year at most
    assert store.reminders(0, late) == []
