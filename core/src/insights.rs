//! Insights computed on the device: completion, streaks, reasons, rating trends.
