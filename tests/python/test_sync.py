"""People meeting through a real tandem-server, from Python: enrol, invite, join, sync, a
practitioner changing a client's plan, the background sync service, and a second device."""

import asyncio
import datetime
import time

import pytest

import tandem_ffi as tandem
from conftest import ChangeRecorder, StatusRecorder, days_ago


def run(coroutine):
    return asyncio.run(coroutine)


def walk_plan() -> tandem.PlanInput:
    return tandem.PlanInput(
        what="Walk round the park",
        schedule=tandem.Schedule(repeat=tandem.Repeat.WEEKLY(days=[tandem.Weekday.MON, tandem.Weekday.THU]), times=["08:00"]),
        start=days_ago(10),
        reminder=True,
    )


def test_alex_invites_sam_and_they_work_on_one_plan(server, open_store):
    alex = open_store("alex")  # a practitioner
    enrolled = run(alex.enrol(server.url, server.enrol_code("practitioner")))
    assert enrolled.role == tandem.Role.PRACTITIONER
    assert alex.server().role == tandem.Role.PRACTITIONER

    invitation = run(alex.invite(tandem.InvitationKind.CLIENT))
    assert invitation.kind == tandem.InvitationKind.CLIENT
    hours_left = (invitation.expires_at - datetime.datetime.now(datetime.timezone.utc)).total_seconds() / 3600
    assert 71 < hours_left <= 72

    # Sam started offline, then joins: consent to share the journey with Alex.
    sam = open_store("sam")
    sam.add_value(tandem.ValueInput(text="Being there for my kids", life_area=tandem.LifeArea.FAMILY, importance=9))
    plan = sam.add_plan(walk_plan())
    joined = run(sam.join(server.url, invitation.code))
    assert joined.role == tandem.Role.CLIENT
    assert joined.linked.person_id == alex.identity().person_id
    assert joined.person_id == sam.identity().person_id
    assert tandem.consent_text_version()

    report = run(sam.sync_now())
    assert report.documents >= 3 and report.wire.sent_bytes > 0
    assert sam.server().last_synced_at is not None
    # From here on, what Sam's store hears from elsewhere (that first sync brought Sam's links,
    # which observers hear too).
    sam_hears = ChangeRecorder()
    sam_subscription = sam.subscribe_changes(sam_hears)

    run(alex.sync_now())
    (link,) = alex.links()
    assert link.person_id == sam.identity().person_id
    assert link.role == tandem.Role.CLIENT and link.access == tandem.Access.WRITE
    sams = alex.linked_journey(link.journey_id)
    assert [v.text for v in sams.journey().values] == ["Being there for my kids"]

    # Alex and Sam agree rain is a barrier; Alex writes it into Sam's plan.
    agreed = walk_plan()
    agreed.barriers = "Rain"
    agreed.agreed_by = [tandem.Party.MYSELF, tandem.Party.SUPPORTER]
    sams.update_plan(plan, agreed)
    run(alex.sync_now())
    assert False not in sam_hears.heard, "nothing came from elsewhere yet"
    run(sam.sync_now())
    assert sam.journey().plans[0].barriers == "Rain"
    assert sam_hears.wait_for(lambda calls: False in calls)  # Alex's edit arrived

    # Sam checks in; Alex sees it after syncing.
    sam.check_in(tandem.CheckInInput(plan_id=plan, date=days_ago(0), outcome=tandem.Outcome.PARTLY))
    run(sam.sync_now())
    run(alex.sync_now())
    assert [c.outcome for c in sams.check_ins(days_ago(0), days_ago(0))] == [tandem.Outcome.PARTLY]
    sam_subscription.cancel()


def test_the_sync_service_reports_its_status_and_sends_edits(server, open_store, tmp_path):
    alex = open_store("alex")
    run(alex.enrol(server.url, server.enrol_code("practitioner")))
    service = alex.sync_service()
    statuses = StatusRecorder()
    subscription = service.subscribe_status(statuses)
    assert statuses.wait_for(lambda seen: seen and seen[0].state == tandem.SyncState.OFFLINE())

    service.set_online(True)
    live = lambda seen: any(s.state == tandem.SyncState.LIVE() for s in seen)  # noqa: E731
    assert statuses.wait_for(live, timeout=20)
    assert service.status().last_synced_at is not None
    assert any(isinstance(s.state, tandem.SyncState.CONNECTING) for s in statuses.heard)

    # An edit goes out on its own: a second device of Alex's sees it.
    invitation = run(alex.invite(tandem.InvitationKind.DEVICE))
    tablet = run(tandem.join_device(str(tmp_path / "alex-tablet.db"), server.url, invitation.code)).store
    alex.add_value(tandem.ValueInput(text="Rest", life_area=tandem.LifeArea.HEALTH, importance=8))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        run(tablet.sync_now())
        if [v.text for v in tablet.journey().values] == ["Rest"]:
            break
        time.sleep(0.2)
    assert [v.text for v in tablet.journey().values] == ["Rest"]

    service.set_online(False)
    assert statuses.wait_for(lambda seen: seen[-1].state == tandem.SyncState.OFFLINE())
    subscription.cancel()
    service.stop()
    service.stop()


def test_a_second_device_joins_and_takes_on_the_person(server, open_store, tmp_path):
    sam = open_store("sam-phone")
    run(sam.enrol(server.url, server.enrol_code("practitioner")))
    sam.add_value(tandem.ValueInput(text="Patience", life_area=tandem.LifeArea.WORK, importance=6))
    run(sam.sync_now())
    code = run(sam.invite(tandem.InvitationKind.DEVICE)).code
    tablet_path = str(tmp_path / "sam-tablet.db")

    # A mistyped code: the server does not know it, says so in a word the app can act on,
    # and no store is made.
    with pytest.raises(tandem.TandemError.Refused) as refused:
        run(tandem.join_device(tablet_path, server.url, "AAAA-BBBB-CCCC"))
    assert refused.value.reason == tandem.RefusalReason.UNKNOWN_CODE

    # The device code given where a person joins: refused, and it still works afterwards.
    someone = open_store("someone")
    with pytest.raises(tandem.TandemError.Refused) as refused:
        run(someone.join(server.url, code))
    assert refused.value.reason == tandem.RefusalReason.CODE_FOR_DEVICE
    assert someone.server() is None

    # A store with a journey of its own cannot become someone else's device.
    someone.add_value(tandem.ValueInput(text="Mine", life_area=tandem.LifeArea.HOME, importance=5))
    del someone
    with pytest.raises(tandem.TandemError.InvalidInput) as refused:
        run(tandem.join_device(str(tmp_path / "someone.db"), server.url, code))
    assert refused.value.field == "store"

    made = run(tandem.join_device(tablet_path, server.url, code))
    tablet = made.store
    assert made.joined.person_id == sam.identity().person_id
    assert tablet.identity().person_id == sam.identity().person_id
    assert tablet.identity().device_key != sam.identity().device_key
    tablet_hears = ChangeRecorder()
    subscription = tablet.subscribe_changes(tablet_hears)
    run(tablet.sync_now())
    assert [v.text for v in tablet.journey().values] == ["Patience"]

    tablet_hears.heard.clear()
    tablet.add_value(tandem.ValueInput(text="Curiosity", life_area=tandem.LifeArea.LEARNING, importance=7))
    assert tablet_hears.wait_for(lambda calls: True in calls)
    subscription.cancel()

def test_a_practitioner_shares_their_own_journey_with_their_coach_and_revokes_it(server, open_store):
    priya = open_store("priya")  # the coach
    run(priya.enrol(server.url, server.enrol_code("coach")))
    alex = open_store("alex")
    run(alex.enrol(server.url, server.enrol_code("practitioner")))
    run(alex.join(server.url, run(priya.invite(tandem.InvitationKind.PRACTITIONER)).code))
    alex.add_value(tandem.ValueInput(text="Boundaries", life_area=tandem.LifeArea.WORK, importance=8))
    run(alex.sync_now())

    run(priya.sync_now())
    (link,) = priya.links()
    assert link.journey_id is None  # nothing shared yet

    assert link.person_id == alex.identity().person_id
    # A practitioner's own journey goes to their coach in transformational coaching only.
    (coaching,) = alex.coaching().relationships()
    with pytest.raises(tandem.TandemError.NotPermitted):
        run(alex.share(alex.identity().journey_id, priya.identity().person_id, tandem.Access.READ))
    alex.coaching().set_condition(coaching.doc_id, tandem.CoachingCondition.TRANSFORMATIONAL, days_ago(1))
    run(alex.share(alex.identity().journey_id, priya.identity().person_id, tandem.Access.READ))
    assert alex.coaching().relationship(coaching.doc_id).journey_shared
    run(priya.sync_now())
    (link,) = priya.links()
    assert link.access == tandem.Access.READ
    assert [v.text for v in priya.linked_journey(link.journey_id).journey().values] == ["Boundaries"]

    run(alex.revoke(alex.identity().journey_id, priya.identity().person_id))
    run(priya.sync_now())
    assert priya.links()[0].journey_id is None
    assert not alex.coaching().relationship(coaching.doc_id).journey_shared
