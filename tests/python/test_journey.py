"""A person's journey through the four stages, through the Python bindings."""

import datetime
from zoneinfo import ZoneInfo

import tandem_ffi as tandem
from conftest import days_ago, today

LONDON = ZoneInfo("Europe/London")


def london(date: str, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        datetime.date.fromisoformat(date), datetime.time(hour, minute), tzinfo=LONDON
    )


def test_sam_works_through_the_four_stages(store):
    # Stage 1: what matters, what Sam is good at, who helps, and where Sam is heading.
    family = store.add_value(
        tandem.ValueInput(text="Being there for my kids", life_area=tandem.LifeArea.FAMILY, importance=9)
    )
    health = store.add_value(tandem.ValueInput(text="Feeling fit", life_area=tandem.LifeArea.HEALTH, importance=7))
    store.add_strength(tandem.StrengthInput(text="Stubborn in a good way", example="Quit smoking in 2023"))
    store.add_support(tandem.SupportInput(name="My sister Jo", kind=tandem.SupportKind.PERSON, note="Calls on Sundays"))
    store.set_vision("Calm mornings, and energy for the kids after school", days_ago(20))

    # Stage 2: a goal serving both values, with steps in Sam's order.
    walk = store.add_goal(
        tandem.GoalInput(
            text="Walk three times a week",
            value_ids=[family, health],
            framing=tandem.Framing.APPROACH,
            proposed_by=tandem.ProposedBy.TOGETHER,
            importance=8,
            confidence=6,
            target_date=days_ago(-60),
            attainment_levels=[tandem.AttainmentLevel(level=0, description="Twice a week")],
        )
    )
    shoes = store.add_step(walk, "Buy walking shoes")
    route = store.add_step(walk, "Find a route round the park")
    store.add_step(walk, "Ask Jo to come along")
    store.move_step(walk, route, 0)
    store.set_step_done(walk, shoes, True)
    store.rename_step(walk, route, "Find a flat route round the park")
    store.remove_step(walk, store.journey().goals[0].steps[2].id)
    store.set_goal_status(walk, tandem.GoalStatus.PAUSED)
    store.set_goal_status(walk, tandem.GoalStatus.ACTIVE)

    # Stage 3: a daily walk at 08:00, agreed by both, started six days ago.
    daily = tandem.Schedule(repeat=tandem.Repeat.EVERY_N_DAYS(n=1), times=["08:00"])
    plan = store.add_plan(
        tandem.PlanInput(
            what="Walk round the park",
            schedule=daily,
            start=days_ago(6),
            place="Victoria Park",
            duration_minutes=30,
            goal_id=walk,
            step_id=route,
            barriers="Rain",
            agreed_by=[tandem.Party.MYSELF, tandem.Party.SUPPORTER],
            reminder=True,
        )
    )
    stretch = store.add_plan(
        tandem.PlanInput(what="Stretch", schedule=tandem.Schedule(repeat=tandem.Repeat.WEEKLY(days=[tandem.Weekday.SUN])), start=today())
    )
    store.remove_plan(stretch)

    # Stage 4: Sam checks in on three walks (one skipped on a low day) and reviews twice.
    store.check_in(tandem.CheckInInput(plan_id=plan, date=days_ago(5), outcome=tandem.Outcome.DONE))
    skipped = store.check_in(
        tandem.CheckInInput(
            plan_id=plan,
            date=days_ago(4),
            time="08:00",
            outcome=tandem.Outcome.NOT_DONE,
            reasons=[tandem.Reason.LOW_MOOD],
            note="Bad night",
        )
    )
    assert skipped.time == "08:00" and skipped.reasons == [tandem.Reason.LOW_MOOD]
    store.check_in(tandem.CheckInInput(plan_id=plan, date=days_ago(3), outcome=tandem.Outcome.PARTLY))
    store.add_review(
        tandem.ReviewInput(date=days_ago(6), goal_id=walk, motivation=5, confidence=4, progress=2, attainment=-1)
    )
    store.add_review(tandem.ReviewInput(date=today(), goal_id=walk, motivation=7, confidence=6, progress=5, attainment=0))
    gone = store.add_review(tandem.ReviewInput(date=today(), motivation=1, confidence=1, progress=1))
    store.remove_review(gone)

    journey = store.journey()
    assert [v.text for v in journey.values] == ["Being there for my kids", "Feeling fit"]
    assert journey.values[0].importance == 9
    assert journey.strengths[0].example == "Quit smoking in 2023"
    assert journey.supports[0].kind == tandem.SupportKind.PERSON
    assert journey.visions[-1].written_on == days_ago(20)
    goal = journey.goals[0]
    assert goal.value_ids == [family, health] and goal.status == tandem.GoalStatus.ACTIVE
    assert [(s.text, s.done) for s in goal.steps] == [
        ("Find a flat route round the park", False),
        ("Buy walking shoes", True),
    ]
    assert goal.attainment_levels[0].description == "Twice a week"
    assert [p.what for p in journey.plans] == ["Walk round the park"]
    assert journey.plans[0].agreed_by == [tandem.Party.MYSELF, tandem.Party.SUPPORTER]
    assert [r.motivation for r in journey.reviews] == [5, 7]

    check_ins = store.check_ins(days_ago(6), today())
    assert [(c.date, c.outcome) for c in check_ins] == [
        (days_ago(5), tandem.Outcome.DONE),
        (days_ago(4), tandem.Outcome.NOT_DONE),
        (days_ago(3), tandem.Outcome.PARTLY),
    ]

    # The practitioner would look at this: six walks due so far, one and a half done.
    insights = store.insights(days_ago(6), today(), london(today(), 7))
    walk_insight = insights.per_plan[0]
    assert walk_insight.completion.planned == 6
    assert (walk_insight.completion.done, walk_insight.completion.partly, walk_insight.completion.not_done) == (1, 1, 1)
    assert walk_insight.completion.rate == 0.25
    assert insights.per_goal[0].goal_id == walk
    assert [(r.reason, r.count) for r in insights.reasons] == [(tandem.Reason.LOW_MOOD, 1)]
    motivation = next(t for t in insights.trends if t.goal_id == walk and t.metric == tandem.Metric.MOTIVATION)
    assert (motivation.first, motivation.last, motivation.change) == (5.0, 7.0, 2.0)

    # Today: the walk is due at 08:00 until its half hour has passed.
    (item,) = store.today(london(today(), 7))
    assert item.status == tandem.OccurrenceStatus.DUE and item.occurrence.time == "08:00"
    (item,) = store.today(london(today(), 9))
    assert item.status == tandem.OccurrenceStatus.MISSED

    # Mornings are hard: the walk moves to 17:30 from today; the days before keep 08:00.
    moved = tandem.PlanInput(
        what="Walk round the park",
        schedule=tandem.Schedule(repeat=tandem.Repeat.EVERY_N_DAYS(n=1), times=["17:30"]),
        start=days_ago(6),
        goal_id=walk,
        reminder=True,
    )
    store.update_plan(plan, moved)
    walk_plan = store.journey().plans[0]
    assert walk_plan.schedule.times == ["17:30"]
    assert walk_plan.earlier_schedules[0].until == days_ago(1)
    assert walk_plan.earlier_schedules[0].schedule.times == ["08:00"]
    assert store.check_ins(days_ago(4), days_ago(4))[0].time == "08:00"

    store.end_plan(plan, today())
    assert store.journey().plans[0].end == today()

    # Everything is on disk: a reopened store shows the same journey.
    del store


def test_a_reopened_store_shows_the_same_journey(open_store):
    first = open_store("sam")
    value = first.add_value(tandem.ValueInput(text="Honesty", life_area=tandem.LifeArea.OTHER, importance=6))
    person = first.identity().person_id
    del first
    again = open_store("sam", "America/New_York")  # the zone of an existing store stays
    assert again.identity().person_id == person
    assert [v.id for v in again.journey().values] == [value]
    assert again.journey().time_zone == "Europe/London"
    again.set_time_zone("America/New_York")
    assert again.journey().time_zone == "America/New_York"


def test_removing_a_value_unlinks_it_from_goals(store):
    value = store.add_value(tandem.ValueInput(text="Learning", life_area=tandem.LifeArea.LEARNING, importance=5))
    goal = store.add_goal(
        tandem.GoalInput(
            text="Read a book a month",
            value_ids=[value],
            framing=tandem.Framing.APPROACH,
            proposed_by=tandem.ProposedBy.MYSELF,
            importance=5,
            confidence=7,
        )
    )
    store.remove_value(value)
    assert store.journey().goals[0].value_ids == []
    store.remove_goal(goal)
    assert store.journey().goals == []
