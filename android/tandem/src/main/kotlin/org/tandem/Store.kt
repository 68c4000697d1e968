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
import uniffi.tandem_ffi.KeyVault
import uniffi.tandem_ffi.LinkedJourney
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.openStoreWithVault
import uniffi.tandem_ffi.rotateStoreKey

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

/**
 * Opens the store at [path] encrypted at rest, with the key [vault] keeps under [name] (the
 * Android Keystore's or the iOS Keychain's, through the app's [KeyVault]): on first use a random
 * key is made and kept, and a plain store is encrypted in place. Slow then for a large store;
 * on [dispatcher]. Throws `TandemException.KeyNeeded` when the store is encrypted and the vault
 * has lost its key.
 */
suspend fun TandemStore.Companion.openEncrypted(
    path: Path,
    vault: KeyVault,
    name: String = path.fileName.toString(),
    timeZone: ZoneId = ZoneId.systemDefault(),
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
): TandemStore = withContext(dispatcher) { openStoreWithVault(path.toString(), vault, name, timeZone.tandemId(), null) }

/**
 * Gives the closed store at [path] a new random key, kept by [vault] under [name] in place of
 * the old one; a crash midway loses neither (the next [openEncrypted] finishes it). Re-seals
 * every value: on [dispatcher].
 */
suspend fun TandemStore.Companion.rotateKey(
    path: Path,
    vault: KeyVault,
    name: String = path.fileName.toString(),
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
) = withContext(dispatcher) { rotateStoreKey(path.toString(), vault, name) }

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
