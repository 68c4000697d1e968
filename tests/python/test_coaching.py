"""Coaching and the parallel process, from Python: alliance check-ins and wellbeing refused
naming the field, WHO-5 scores, private reflections, and through a real tandem-server a
practitioner and their coach (reflections shared and withdrawn, the coaching condition deciding
case reviews) and a practitioner's parallel view over too few, then enough, clients."""

import asyncio

import pytest

import tandem_ffi as tandem
from conftest import days_ago, today


def run(coroutine):
    return asyncio.run(coroutine)


def daily_walk(start: str) -> tandem.PlanInput:
    return tandem.PlanInput(
        what="Walk round the park",
        schedule=tandem.Schedule(repeat=tandem.Repeat.EVERY_N_DAYS(n=1), times=[]),
        start=start,
    )


def reflection(**changes) -> tandem.ReflectionInput:
    fields = dict(
        date=days_ago(1),
        what_happened="Sam cancelled again and I felt relieved",
        my_reaction="Relief, then guilt",
        pattern="I avoid the hard sessions too",
        direction=tandem.Direction.CLIENT_TO_COACHING,
    )
    fields.update(changes)
    return tandem.ReflectionInput(**fields)


# ----- on one device -----


def test_alliance_check_ins_out_of_range_are_refused_naming_the_item(store):
    coaching = store.coaching()
    cases = [
        (dict(goals=11), "goals", "11 is outside 0–10"),  # refused by the core
        (dict(tasks=-1), "tasks", "-1 is outside 0–10"),  # does not fit the core's type
        (dict(bond=300), "bond", "300 is outside 0–10"),
        (dict(date="yesterday"), "date", '"yesterday" is not a date like 2026-03-31'),
    ]
    for changes, field, problem in cases:
        fields = dict(date=today(), goals=7, tasks=7, bond=8)
        fields.update(changes)
        with pytest.raises(tandem.TandemError.InvalidInput) as refused:
            coaching.add_alliance_check_in("any-relationship", tandem.AllianceInput(**fields))
        assert (refused.value.field, refused.value.problem) == (field, problem)

    # Good input gets as far as the relationship, which this store does not have.
    with pytest.raises(tandem.TandemError.NotFound) as missing:
        coaching.add_alliance_check_in("any-relationship", tandem.AllianceInput(date=today(), goals=7, tasks=7, bond=8))
    assert "any-relationship" in missing.value.what
    assert coaching.ruptures() == []

    wording = tandem.measure_wording()
    assert len(wording.alliance_items) == 3 and wording.alliance_flag == "Something felt off today."


def test_wellbeing_scores_who5_as_a_percentage_and_refuses_what_is_not_five_answers(store):
    coaching = store.coaching()
    entry = coaching.add_wellbeing(tandem.WellbeingInput(date=days_ago(7), who5=[3, 4, 2, 5, 1], stress=6))
    coaching.add_wellbeing(tandem.WellbeingInput(date=days_ago(0), burnout=8))
    first, second = coaching.wellbeing()
    assert first.id == entry
    assert first.who5 == [3, 4, 2, 5, 1]
    assert first.who5_percent == 60  # (3+4+2+5+1) × 4
    assert (first.stress, first.burnout) == (6, None)
    assert (second.who5, second.who5_percent, second.burnout) == (None, None, 8)

    refusals = [
        (dict(who5=[3, 3, 3, 3]), "who5", "needs all 5 answers, one per statement, not 4"),
        (dict(who5=[3, 3, 3, 3, 3, 3]), "who5", "needs all 5 answers, one per statement, not 6"),
        (dict(who5=[3, 6, 3, 3, 3]), "who5[1]", "6 is outside 0–5"),
        (dict(who5=[3, 3, 3, 3, -2]), "who5[4]", "-2 is outside 0–5"),
        (dict(stress=11), "stress", "11 is outside 0–10"),
        (dict(), "wellbeing", "is empty: give WHO-5, stress or burnout"),
    ]
    for changes, field, problem in refusals:
        with pytest.raises(tandem.TandemError.InvalidInput) as refused:
            coaching.add_wellbeing(tandem.WellbeingInput(date=today(), **changes))
        assert (refused.value.field, refused.value.problem) == (field, problem)

    coaching.remove_wellbeing(entry)
    assert [w.burnout for w in coaching.wellbeing()] == [8]
    wording = tandem.measure_wording()
    assert len(wording.who5_items) == 5 and "WHO-5" in wording.who5_credit


def test_reflections_stay_private_and_can_be_changed_and_removed(store):
    coaching = store.coaching()
    walk = store.add_plan(daily_walk(days_ago(14)))
    first = coaching.add_reflection(reflection(plan_ids=[walk]))
    second = coaching.add_reflection(reflection(date=days_ago(3), what_happened="Skipped my own walk", direction=None))
    assert [r.id for r in coaching.reflections()] == [second, first]  # oldest first

    coaching.update_reflection(first, reflection(pattern="Avoiding what feels heavy", plan_ids=[walk]))
    mine = next(r for r in coaching.reflections() if r.id == first)
    assert mine.pattern == "Avoiding what feels heavy"
    assert mine.plan_ids == [walk]
    assert mine.direction == tandem.Direction.CLIENT_TO_COACHING
    assert mine.shared_in == []

    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        coaching.add_reflection(reflection(plan_ids=["no-such-plan"]))
    assert refused.value.field == "plan_ids[0]"
    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        coaching.add_reflection(reflection(client_codes=["Sam Jones"]))
    assert refused.value.field == "client_codes[0]"
    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        coaching.update_reflection(first, reflection(my_reaction=""))
    assert refused.value.field == "my_reaction"
    with pytest.raises(tandem.TandemError.NotFound):
        coaching.update_reflection("no-such-reflection", reflection())

    coaching.remove_reflection(second)
    assert [r.id for r in coaching.reflections()] == [first]


# ----- a practitioner and their coach, through a real server -----


def coach_and_practitioner(server, open_store):
    """Priya (a coach) invites Alex (a practitioner); both sync. Returns them and the coaching
    document between them."""
    priya = open_store("priya")
    run(priya.enrol(server.url, server.enrol_code("coach")))
    alex = open_store("alex")
    run(alex.enrol(server.url, server.enrol_code("practitioner")))
    run(alex.join(server.url, run(priya.invite(tandem.InvitationKind.PRACTITIONER)).code))
    run(alex.sync_now())
    run(priya.sync_now())
    (theirs,) = alex.coaching().relationships()
    assert theirs.kind == tandem.RelationshipKind.COACHING
    assert (theirs.person_id, theirs.role) == (priya.identity().person_id, tandem.Role.COACH)
    (mine,) = priya.coaching().relationships()
    assert mine.doc_id == theirs.doc_id and mine.role == tandem.Role.PRACTITIONER
    return alex, priya, theirs.doc_id


def test_a_shared_reflection_reaches_the_coach_and_withdrawing_it_takes_it_back(server, open_store):
    alex, priya, doc = coach_and_practitioner(server, open_store)
    walk = alex.add_plan(daily_walk(days_ago(14)))
    mine = alex.coaching().add_reflection(reflection(plan_ids=[walk]))
    alex.coaching().add_reflection(reflection(what_happened="Kept to myself"))  # never shared

    copy = alex.coaching().share_reflection(mine, doc)
    assert [r.shared_in for r in alex.coaching().reflections() if r.id == mine] == [[doc]]
    assert priya.coaching().relationship(doc).reflections == []  # not synced yet
    run(alex.sync_now())
    run(priya.sync_now())
    (seen,) = priya.coaching().relationship(doc).reflections
    assert (seen.id, seen.source_id) == (copy, mine)
    assert seen.what_happened == "Sam cancelled again and I felt relieved"
    assert seen.direction == tandem.Direction.CLIENT_TO_COACHING
    assert not hasattr(seen, "plan_ids")  # a copy carries no links to plans or clients

    # An edit reaches the shared copy too.
    alex.coaching().update_reflection(mine, reflection(pattern="Avoiding what feels heavy", plan_ids=[walk]))
    run(alex.sync_now())
    run(priya.sync_now())
    assert [r.pattern for r in priya.coaching().relationship(doc).reflections] == ["Avoiding what feels heavy"]

    # The coach cannot share into the practitioner's name.
    with pytest.raises(tandem.TandemError.NotPermitted):
        priya.coaching().share_reflection(mine, doc)

    alex.coaching().withdraw_reflection(mine, doc)
    assert alex.coaching().relationship(doc).reflections == []
    assert [r.shared_in for r in alex.coaching().reflections() if r.id == mine] == [[]]
    run(alex.sync_now())
    run(priya.sync_now())
    assert priya.coaching().relationship(doc).reflections == []
    assert len(alex.coaching().reflections()) == 2  # still Alex's own


def test_the_coaching_condition_decides_case_reviews_and_journey_sharing(server, open_store):
    alex, priya, doc = coach_and_practitioner(server, open_store)
    coaching = alex.coaching()
    assert coaching.relationship(doc).condition is None
    coaching.set_condition(doc, tandem.CoachingCondition.TRANSFORMATIONAL, days_ago(30), "Alex's own journey first")

    case = tandem.CaseReviewInput(date=today(), client_code="C-7K2M9QXA", question="Why does Sam keep cancelling?")
    with pytest.raises(tandem.TandemError.NotPermitted) as refused:
        coaching.add_case_review(doc, case)
    assert "skills-acquisition" in refused.value.reason and "transformational" in refused.value.reason

    # Transformational coaching is where Alex may share their own journey with Priya.
    alex.add_value(tandem.ValueInput(text="Boundaries", life_area=tandem.LifeArea.WORK, importance=8))
    assert run(coaching.share_journey_with_coach(doc)) == priya.identity().person_id
    assert coaching.relationship(doc).journey_shared
    run(alex.sync_now())
    run(priya.sync_now())
    (link,) = priya.links()
    assert link.journey_id == alex.identity().journey_id
    assert [v.text for v in priya.linked_journey(link.journey_id).journey().values] == ["Boundaries"]
    assert priya.coaching().relationship(doc).journey_shared
    run(coaching.withdraw_journey_from_coach(doc))
    assert not coaching.relationship(doc).journey_shared
    run(alex.sync_now())
    run(priya.sync_now())
    assert priya.links()[0].journey_id is None

    # Or a part of it: one goal, with its steps, shared and taken back.
    goal = alex.add_goal(
        tandem.GoalInput(
            text="Take a real lunch break",
            value_ids=[],
            framing=tandem.Framing.APPROACH,
            proposed_by=tandem.ProposedBy.MYSELF,
            target_date=None,
            importance=8,
            confidence=4,
            attainment_levels=[],
        )
    )
    alex.add_step(goal, "Block 12:30 in the diary")
    coaching.share_goal(goal, doc)
    run(alex.sync_now())
    run(priya.sync_now())
    (shared,) = priya.coaching().relationship(doc).goals
    assert (shared.text, [s.text for s in shared.steps]) == ("Take a real lunch break", ["Block 12:30 in the diary"])
    coaching.withdraw_goal(goal, doc)
    run(alex.sync_now())
    run(priya.sync_now())
    assert priya.coaching().relationship(doc).goals == []

    # The coach moves them to skills acquisition from today; earlier days stay transformational.
    run(alex.sync_now())
    run(priya.sync_now())
    priya.coaching().set_condition(doc, tandem.CoachingCondition.SKILLS_ACQUISITION, today())
    run(priya.sync_now())
    run(alex.sync_now())
    now = coaching.relationship(doc)
    assert now.condition == tandem.CoachingCondition.SKILLS_ACQUISITION
    assert [c.condition for c in now.conditions] == [
        tandem.CoachingCondition.TRANSFORMATIONAL,
        tandem.CoachingCondition.SKILLS_ACQUISITION,
    ]
    assert now.conditions[0].applies_from == days_ago(30) and now.conditions[0].note == "Alex's own journey first"
    assert now.conditions[1].set_by == priya.identity().person_id

    review = coaching.add_case_review(doc, case)
    with pytest.raises(tandem.TandemError.NotPermitted):
        coaching.add_case_review(doc, tandem.CaseReviewInput(date=days_ago(1), client_code="C-7K2M9QXA", question="Earlier"))
    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        coaching.add_case_review(doc, tandem.CaseReviewInput(date=today(), client_code="Sam", question="Names never go here"))
    assert refused.value.field == "client_code"
    assert [(r.id, r.client_code) for r in coaching.relationship(doc).case_reviews] == [(review, "C-7K2M9QXA")]

    # Sharing one's own journey belongs to transformational coaching: refused now.
    with pytest.raises(tandem.TandemError.NotPermitted) as refused:
        run(coaching.share_journey_with_coach(doc))
    assert "transformational" in refused.value.reason
    with pytest.raises(tandem.TandemError.NotPermitted):
        coaching.share_goal(goal, doc)


# ----- the parallel view -----


def client_of(alex, name, open_store, server, done_days):
    """A client of Alex's with a daily walk for two weeks, done on `done_days` (days ago)."""
    client = open_store(name)
    walk = client.add_plan(daily_walk(days_ago(13)))
    for n in range(1, 14):
        outcome = tandem.Outcome.DONE if n in done_days else tandem.Outcome.NOT_DONE
        reasons = [] if outcome == tandem.Outcome.DONE else [tandem.Reason.TOO_TIRED]
        client.check_in(tandem.CheckInInput(plan_id=walk, date=days_ago(n), outcome=outcome, reasons=reasons))
    run(client.join(server.url, run(alex.invite(tandem.InvitationKind.CLIENT)).code))
    run(client.sync_now())
    return client


def test_the_parallel_view_has_no_client_figures_until_three_clients(server, open_store):
    alex = open_store("alex")
    run(alex.enrol(server.url, server.enrol_code("practitioner")))
    walk = alex.add_plan(daily_walk(days_ago(13)))
    for n in range(1, 14):
        if n % 2:
            alex.check_in(tandem.CheckInInput(plan_id=walk, date=days_ago(n), outcome=tandem.Outcome.DONE))
    alex.coaching().add_wellbeing(tandem.WellbeingInput(date=days_ago(2), who5=[4, 4, 4, 4, 4]))

    client_of(alex, "sam", open_store, server, done_days={1, 2, 3})
    client_of(alex, "kim", open_store, server, done_days=set(range(1, 14)))
    run(alex.sync_now())
    assert len(alex.coaching().relationships()) == 2

    view = alex.parallel().parallel_view(days_ago(13), days_ago(1))
    assert (view.from_date, view.to_date) == (days_ago(13), days_ago(1))
    assert view.caseload == 2
    assert view.own.planned == 13 and view.own.done == 7
    assert view.clients is None  # two clients: not enough data
    assert view.client_ruptures is None
    assert view.weeks and all(w.clients is None for w in view.weeks)
    assert any(w.wellbeing is not None and w.wellbeing.who5_percent == 80.0 for w in view.weeks)

    # A third client makes the clients' figures appear, over all three together.
    client_of(alex, "lee", open_store, server, done_days=set())
    run(alex.sync_now())
    view = alex.parallel().parallel_view(days_ago(13), days_ago(1))
    assert view.caseload == 3
    assert view.clients is not None and view.clients.clients == 3
    assert view.clients.completion.planned == 39
    assert view.clients.completion.done == 3 + 13 + 0
    assert view.clients.reasons[0].reason == tandem.Reason.TOO_TIRED
    assert any(w.clients is not None for w in view.weeks)

    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        alex.parallel().parallel_view(days_ago(1), days_ago(13))
    assert refused.value.field == "to"
