package org.tandem

import java.time.LocalDate
import uniffi.tandem_ffi.WellbeingInput

// Coaching (`store.coaching()`): edits, reflections, alliance check-ins, ruptures and wellbeing
// are quick and stay as generated. Sharing the journey with a coach is suspend in the generated
// code already. The parallel process is `store.parallel()` (Parallel.kt).

/**
 * A WHO-5 entry for [date]: the five [answers] (0–5 each) in the order of
 * `measureWording().who5Items`, with optional [stress] and [burnout] (0–10).
 */
fun WellbeingInput.Companion.who5(
    date: LocalDate,
    answers: List<Int>,
    stress: Int? = null,
    burnout: Int? = null,
): WellbeingInput = WellbeingInput(date.toString(), answers, stress, burnout)
