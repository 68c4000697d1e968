package org.tandem

import uniffi.tandem_ffi.TandemException

/**
 * The error as a sentence a person can act on ("importance: 12 is outside 0–10"), for a
 * message next to a field or in a banner. (The generated `message` lists fields, for logs.)
 */
val TandemException.sentence: String
    get() = when (this) {
        is TandemException.InvalidInput -> "$field: $problem"
        is TandemException.NotFound -> "$what not found"
        is TandemException.NotPermitted -> "Not permitted: $reason"
        is TandemException.Refused -> detail
        is TandemException.Storage -> "Storage: $detail"
        is TandemException.Sync -> "Sync: $detail"
        is TandemException.NewerVersion -> detail
        is TandemException.Damaged -> detail
        is TandemException.KeyNeeded -> detail
        is TandemException.WrongKey -> detail
        is TandemException.Internal -> "Internal error: $detail"
    }
