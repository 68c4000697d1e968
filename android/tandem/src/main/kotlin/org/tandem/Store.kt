package org.tandem

import java.nio.file.Path
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import uniffi.tandem_ffi.CheckIn
import uniffi.tandem_ffi.Insights
import uniffi.tandem_ffi.LinkedJourney
import uniffi.tandem_ffi.TandemStore

// Suspend versions of the calls that may touch the disk for a while: opening a store and
// reading months of check-ins. Quick calls (an edit, the journey, today, reminders) stay as
// generated: one durable write or a read from memory.

/**
 * Opens the store at [path] (e.g. `<app files>/tandem.db`), creating it with a new device key
 * and an empty journey scheduled in [timeZone] if there is none, on [dispatcher] (opening reads
 * the journey from disk). Close it with `close()` or `use {}` when the app no longer needs it.
 *
 * [timeZone] must be a region id such as `Europe/London` (a fixed offset like `+01:00` is
 * refused); it is ignored when the store exists: see `setTimeZone`.
 */
suspend fun TandemStore.Companion.open(
    path: Path,
    timeZone: ZoneId = ZoneId.systemDefault(),
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
): TandemStore = withContext(dispatcher) { TandemStore(path.toString(), timeZone.tandemId()) }

/** Check-ins dated within [dates] (inclusive), by date, time and plan; reads one document per month. */
suspend fun TandemStore.checkIns(
    dates: ClosedRange<LocalDate>,
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
): List<CheckIn> = withContext(dispatcher) { checkIns(dates.start.toString(), dates.endInclusive.toString()) }

/**
 * Completion, streaks, reasons and rating trends over [dates] (inclusive) as of [now]; reads the
 * check-ins of the range.
 */
suspend fun TandemStore.insights(
    dates: ClosedRange<LocalDate>,
    now: Instant = Instant.now(),
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
): Insights = withContext(dispatcher) {
    insights(dates.start.toString(), dates.endInclusive.toString(), now)
}

/** A linked person's check-ins dated within [dates] (inclusive); reads one document per month. */
suspend fun LinkedJourney.checkIns(
    dates: ClosedRange<LocalDate>,
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
): List<CheckIn> = withContext(dispatcher) { checkIns(dates.start.toString(), dates.endInclusive.toString()) }

/** Tandem takes IANA names; Java calls UTC `Z` when it is a bare offset. */
private fun ZoneId.tandemId(): String = if (normalized() == java.time.ZoneOffset.UTC) "UTC" else id
