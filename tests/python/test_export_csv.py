"""The CSV export example: what a person (or their practitioner) would check in the files."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

import tandem_ffi as tandem
from conftest import BINDINGS, days_ago, today
from export_csv import export_journey


def read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


@pytest.fixture
def sams_journey(store):
    family = store.add_value(
        tandem.ValueInput(text="Being there for my kids", life_area=tandem.LifeArea.FAMILY, importance=9)
    )
    goal = store.add_goal(
        tandem.GoalInput(
            text="Walk three times a week",
            value_ids=[family],
            framing=tandem.Framing.APPROACH,
            proposed_by=tandem.ProposedBy.TOGETHER,
            importance=8,
            confidence=6,
        )
    )
    step = store.add_step(goal, "Buy walking shoes")
    store.set_step_done(goal, step, True)
    store.add_step(goal, "Find a route, with a bench halfway")
    plan = store.add_plan(
        tandem.PlanInput(
            what="Walk round the park",
            schedule=tandem.Schedule(repeat=tandem.Repeat.EVERY_N_DAYS(n=1), times=["08:00"]),
            start=days_ago(3),
            duration_minutes=30,
            goal_id=goal,
            barriers='Rain, and "bad nights"',
            reminder=True,
        )
    )
    store.check_in(tandem.CheckInInput(plan_id=plan, date=days_ago(2), outcome=tandem.Outcome.DONE))
    store.check_in(
        tandem.CheckInInput(
            plan_id=plan,
            date=days_ago(1),
            outcome=tandem.Outcome.NOT_DONE,
            reasons=[tandem.Reason.LOW_MOOD, tandem.Reason.OTHER],
            reason_text="Kids were ill",
        )
    )
    store.add_review(tandem.ReviewInput(date=today(), goal_id=goal, motivation=7, confidence=5, progress=4, attainment=0))
    return store


def test_sam_s_journey_exports_to_csv_files(sams_journey, tmp_path):
    written = export_journey(sams_journey, tmp_path / "export")
    assert sorted(written) == ["check_ins", "goals", "plans", "reviews", "values"]

    (value,) = read(written["values"])
    assert value == {"text": "Being there for my kids", "life_area": "family", "importance": "9"}

    (goal,) = read(written["goals"])
    assert goal["values"] == "Being there for my kids"
    assert (goal["status"], goal["steps_done"]) == ("active", "1")
    assert goal["steps"] == "Buy walking shoes; Find a route, with a bench halfway"

    (plan,) = read(written["plans"])
    assert plan["schedule"] == "every 1 days at 08:00"
    assert plan["barriers"] == 'Rain, and "bad nights"'  # commas and quotes survive
    assert (plan["goal"], plan["minutes"], plan["reminder"]) == ("Walk three times a week", "30", "yes")

    check_ins = read(written["check_ins"])
    assert [(c["date"], c["outcome"]) for c in check_ins] == [(days_ago(2), "done"), (days_ago(1), "not_done")]
    assert check_ins[1]["reasons"] == "low_mood other"
    assert check_ins[1]["reason_text"] == "Kids were ill"
    assert check_ins[1]["plan"] == "Walk round the park"

    (review,) = read(written["reviews"])
    assert (review["goal"], review["motivation"], review["attainment"]) == ("Walk three times a week", "7", "0")


def test_the_range_limits_the_check_ins(sams_journey, tmp_path):
    written = export_journey(sams_journey, tmp_path, start=days_ago(1), end=days_ago(1))
    assert [c["outcome"] for c in read(written["check_ins"])] == ["not_done"]


def test_the_command_line_writes_the_files_and_refuses_a_bad_date(sams_journey, tmp_path):
    store_file = str(tmp_path / "me.db")  # the file behind the `store` fixture
    del sams_journey
    script = Path(__file__).with_name("export_csv.py")
    env = dict(os.environ, PYTHONPATH=str(BINDINGS))
    done = subprocess.run(
        [sys.executable, str(script), store_file, str(tmp_path / "out")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.split()) == 5
    assert len(read(tmp_path / "out" / "check_ins.csv")) == 2

    refused = subprocess.run(
        [sys.executable, str(script), store_file, str(tmp_path / "out"), "--from", "yesterday"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1
    assert "InvalidInput" in refused.stderr and "from" in refused.stderr
