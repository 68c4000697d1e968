package org.tandem

import java.time.Instant
import java.time.LocalDate
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import uniffi.tandem_ffi.CoachOverview
import uniffi.tandem_ffi.CoachingCondition
import uniffi.tandem_ffi.CoachingRelationship
import uniffi.tandem_ffi.Parallel
import uniffi.tandem_ffi.ParallelView
import uniffi.tandem_ffi.ResearchExport
import uniffi.tandem_ffi.SummaryChoices

// The parallel process (`store.parallel()`): a coach's overview is quick and stays as
// generated. The parallel view and sharing a summary of it read every client's check-ins over
// the range: suspend here, on Dispatchers.IO unless told otherwise. The research export is
// suspend in the generated code already.

/**
 * The parallel view over [dates] (inclusive) as of [now]: this practitioner's own figures beside
 * their clients'. Client figures are null ("not enough data") where fewer than three clients
 * contributed. Reads the check-ins of every client over the range, on [dispatcher].
 */
suspend fun Parallel.parallelView(
    dates: ClosedRange<LocalDate>,
    now: Instant = Instant.now(),
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
): ParallelView = withContext(dispatcher) {
    parallelView(dates.start.toString(), dates.endInclusive.toString(), now)
}

/**
 * Shares a summary of the parallel view over [dates] (inclusive) into the coaching relationship
 * [coachingDoc]: rates and counts, client figures only over at least three clients, wellbeing
 * and a note only as [choices] say. Returns its id. Computes the view first, on [dispatcher].
 */
suspend fun Parallel.shareSummary(
    coachingDoc: String,
    dates: ClosedRange<LocalDate>,
    choices: SummaryChoices = SummaryChoices(),
    now: Instant = Instant.now(),
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
): String = withContext(dispatcher) {
    shareSummary(coachingDoc, dates.start.toString(), dates.endInclusive.toString(), choices, now)
}

/**
 * The research export over the summaries shared in this person's coaching relationships, for
 * the weeks starting within [dates] (inclusive): rows, and the same as `csv` and `json`.
 */
suspend fun Parallel.researchExport(dates: ClosedRange<LocalDate>, now: Instant = Instant.now()): ResearchExport =
    researchExport(dates.start.toString(), dates.endInclusive.toString(), now)

/** The practitioners a coach works with under [condition] (null: no condition set yet). */
fun CoachOverview.practitionersUnder(condition: CoachingCondition?): List<CoachingRelationship> =
    groups.singleOrNull { it.condition == condition }?.practitioners.orEmpty()
