//! What the benchmarks in `benches/` share: how they are run.
//!
//! Run plainly (`cargo bench -p tandem-tests --bench NAME`, a release build) a benchmark
//! measures the budgets at full size. With `--quick` it runs the same steps at small sizes in a
//! few seconds, in any build, so that a benchmark that no longer runs is noticed:
//! `scripts/test` runs them all so, in the debug profile. Quick figures are printed as usual,
//! beside the budgets, and marked as what they are: not the budget measurement.

/// How a benchmark runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Full sizes: the figures to read against the budgets (in a release build).
    Budget,
    /// Small sizes (`--quick`): the benchmark still runs; its figures measure nothing.
    Quick,
}

impl Mode {
    /// `--quick` among this program's arguments (`cargo bench -p tandem-tests -- --quick`).
    pub fn from_args() -> Mode {
        if std::env::args().any(|a| a == "--quick") {
            Mode::Quick
        } else {
            Mode::Budget
        }
    }

    /// `full` when measuring the budgets, `quick` in quick mode.
    pub fn size<T>(self, full: T, quick: T) -> T {
        match self {
            Mode::Budget => full,
            Mode::Quick => quick,
        }
    }

    /// Prints the benchmark's title, and what its figures are worth in this mode and build.
    pub fn print_heading(self, title: &str) {
        println!("{title}; no assertions.");
        if let Some(warning) = self.warning() {
            println!("{warning}");
        }
        println!();
    }

    /// Repeats, after the figures, that they were not the budget measurement (quick mode, or a
    /// debug build).
    pub fn print_footing(self) {
        if let Some(warning) = self.warning() {
            println!("\n{warning}");
        }
    }

    fn warning(self) -> Option<&'static str> {
        match (self, cfg!(debug_assertions)) {
            (Mode::Quick, _) => Some(
                "QUICK MODE (--quick): small sizes. These are quick-mode figures, NOT the budget \
                 measurement; for that, run without --quick in a release build (`cargo bench`).",
            ),
            (Mode::Budget, true) => Some(
                "DEBUG BUILD: these figures are NOT the budget measurement; run `cargo bench` \
                 (release) for that.",
            ),
            (Mode::Budget, false) => None,
        }
    }
}
