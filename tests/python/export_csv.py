"""Exports a person's journey to CSV files, one per kind of record: the smallest real program
over Tandem's Python bindings.

    python export_csv.py STORE OUT_DIR [--from YYYY-MM-DD] [--to YYYY-MM-DD]

writes values.csv, goals.csv, plans.csv, check_ins.csv and reviews.csv into OUT_DIR. Check-ins
are those from --from (default: the earliest plan's start) to --to (default: today). Run it
with build/bindings/python on PYTHONPATH (scripts/bindings python puts the module there).
"""

import argparse
import csv
import datetime
import sys
from pathlib import Path

import tandem_ffi as tandem


def word(enum_value) -> str:
    """An enum as the word Tandem stores: LifeArea.FAMILY -> "family"."""
    return enum_value.name.lower()


def schedule_text(schedule: tandem.Schedule) -> str:
    """ "mon wed fri at 08:00" or "every 2 days"."""
    repeat = schedule.repeat
    if isinstance(repeat, tandem.Repeat.WEEKLY):
        when = " ".join(word(day) for day in repeat.days)
    else:
        when = f"every {repeat.n} days"
    return f"{when} at {', '.join(schedule.times)}" if schedule.times else when


def export_journey(store: tandem.TandemStore, out_dir: Path, start: str | None = None, end: str | None = None) -> dict:
    """Writes the journey in `store` to CSV files in `out_dir`; returns {name: path}."""
    journey = store.journey()
    end = end or datetime.date.today().isoformat()
    start = start or min((plan.start for plan in journey.plans), default=end)
    values = {value.id: value.text for value in journey.values}
    goals = {goal.id: goal.text for goal in journey.goals}
    plans = {plan.id: plan.what for plan in journey.plans}

    tables = {
        "values": (
            ["text", "life_area", "importance"],
            [[v.text, word(v.life_area), v.importance] for v in journey.values],
        ),
        "goals": (
            ["text", "status", "importance", "confidence", "target_date", "values", "steps_done", "steps"],
            [
                [
                    g.text,
                    word(g.status),
                    g.importance,
                    g.confidence,
                    g.target_date or "",
                    "; ".join(values.get(v, v) for v in g.value_ids),
                    sum(step.done for step in g.steps),
                    "; ".join(step.text for step in g.steps),
                ]
                for g in journey.goals
            ],
        ),
        "plans": (
            ["what", "goal", "schedule", "minutes", "start", "end", "barriers", "reminder"],
            [
                [
                    p.what,
                    goals.get(p.goal_id, "") if p.goal_id else "",
                    schedule_text(p.schedule),
                    p.duration_minutes or "",
                    p.start,
                    p.end or "",
                    p.barriers or "",
                    "yes" if p.reminder else "no",
                ]
                for p in journey.plans
            ],
        ),
        "check_ins": (
            ["date", "time", "plan", "outcome", "reasons", "reason_text", "note"],
            [
                [
                    c.date,
                    c.time or "",
                    plans.get(c.plan_id, c.plan_id),
                    word(c.outcome),
                    " ".join(word(r) for r in c.reasons),
                    c.reason_text or "",
                    c.note or "",
                ]
                for c in store.check_ins(start, end)
            ],
        ),
        "reviews": (
            ["date", "goal", "motivation", "confidence", "progress", "attainment", "note"],
            [
                [
                    r.date,
                    goals.get(r.goal_id, "") if r.goal_id else "(whole journey)",
                    r.motivation,
                    r.confidence,
                    r.progress,
                    "" if r.attainment is None else r.attainment,
                    r.note or "",
                ]
                for r in journey.reviews
            ],
        ),
    }

    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, (header, rows) in tables.items():
        path = out_dir / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(header)
            writer.writerows(rows)
        written[name] = path
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Export a Tandem journey to CSV files.")
    parser.add_argument("store", help="the store file (it is created if missing)")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--from", dest="start", help="first day of check-ins, YYYY-MM-DD")
    parser.add_argument("--to", dest="end", help="last day of check-ins, YYYY-MM-DD")
    args = parser.parse_args(argv)
    try:
        store = tandem.TandemStore(args.store, None)
        written = export_journey(store, args.out_dir, args.start, args.end)
    except tandem.TandemError as err:
        print(f"export failed: {err!r}", file=sys.stderr)
        return 1
    for path in written.values():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
