//! Planned occurrences of action plans, today's list and upcoming reminders.
