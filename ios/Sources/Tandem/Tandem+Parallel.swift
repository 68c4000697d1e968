// The parallel process (`store.parallel()`) over the generated bindings.
//
// Coaching (`store.coaching()`) is used as generated: edits, reflections, alliance check-ins,
// `ruptures()`, wellbeing and `relationship(docId:)` are quick (one durable write, or memory);
// `shareJourneyWithCoach(coachingDoc:)` and `withdrawJourneyFromCoach(coachingDoc:)` are
// `async throws`. Of the parallel process, `coachOverview()` is quick and
// `researchExport(from:to:now:)` is `async throws`; the parallel view, and sharing a summary of
// it, read every client's check-ins over the range: the two wrappers here run them off the
// caller's actor.

import Foundation

extension Parallel {
    /// The parallel view from `from` to `to` ("YYYY-MM-DD", inclusive), computed off the
    /// caller's actor (it reads every client's check-ins over the range):
    ///
    ///     let view = try await store.parallel().parallelViewInBackground(from: start, to: end)
    ///
    /// Client figures are `nil` ("not enough data") where fewer than three clients contributed.
    public func parallelViewInBackground(
        from: String, to: String, now: Date? = nil
    ) async throws -> ParallelView {
        try await Task.detached(priority: .userInitiated) {
            try self.parallelView(from: from, to: to, now: now)
        }.value
    }

    /// Shares a summary of the parallel view from `from` to `to` into the coaching relationship
    /// `coachingDoc`, computing the view off the caller's actor. Returns the summary's id.
    public func shareSummaryInBackground(
        coachingDoc: String, from: String, to: String,
        choices: SummaryChoices = SummaryChoices(), now: Date? = nil
    ) async throws -> String {
        try await Task.detached(priority: .userInitiated) {
            try self.shareSummary(
                coachingDoc: coachingDoc, from: from, to: to, choices: choices, now: now)
        }.value
    }
}

extension CoachOverview {
    /// The practitioners a coach works with under `condition` (`nil`: no condition set yet).
    public func practitioners(under condition: CoachingCondition?) -> [CoachingRelationship] {
        groups.first { $0.condition == condition }?.practitioners ?? []
    }
}
