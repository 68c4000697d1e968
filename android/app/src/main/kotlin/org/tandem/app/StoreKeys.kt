package org.tandem.app

import uniffi.tandem_ffi.KeyVault
import uniffi.tandem_ffi.StoreKey
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.openStoreWithVault

/**
 * How the host's store file opens, so that the app can open it again after making it another
 * device of its person ([AppState.joinDevice], [AppState.recover]) or erasing it
 * ([AppState.eraseThisDevice]) — encrypted as before. Called off the UI thread.
 */
interface StoreKeys {
    /** The key the store's file opens with now; null for a plain store. */
    fun key(): StoreKey?

    /** Opens the store's file at [path] (a new one when it was erased) with its key. */
    fun open(path: String): TandemStore

    /** Forgets the key of a store whose files were erased. */
    fun forget()
}

/** This computer's or phone's time zone, as the core names zones: a new store's journey is scheduled in it. */
fun systemTimeZone(): String =
    java.time.ZoneId.systemDefault().normalized().let { if (it == java.time.ZoneOffset.UTC) "UTC" else it.id }

/** A plain store, as a host without encryption opens it (a new one in [timeZone]). */
class PlainKeys(private val timeZone: String = systemTimeZone()) : StoreKeys {
    override fun key(): StoreKey? = null
    override fun open(path: String) = TandemStore(path, timeZone, null)
    override fun forget() {}
}

/** A store encrypted with a passphrase the person typed (the desktop's unlock screen). */
class PassphraseKeys(private val words: String, private val timeZone: String = systemTimeZone()) : StoreKeys {
    override fun key() = StoreKey.Passphrase(words)
    override fun open(path: String) = TandemStore(path, timeZone, null, key())
    override fun forget() {}
}

/**
 * A store encrypted with a random key the platform's [vault] keeps under [name] (the Android
 * Keystore, the iOS Keychain, the desktop's keyring): an erased store's key is forgotten, and
 * its new store gets a new one.
 */
class VaultKeys(
    private val vault: KeyVault,
    private val name: String,
    private val timeZone: String = systemTimeZone(),
) : StoreKeys {
    override fun key(): StoreKey? = vault.load(name)?.let { StoreKey.Key(it) }
    override fun open(path: String) = openStoreWithVault(path, vault, name, timeZone)
    override fun forget() {
        vault.remove(name)
        vault.remove("$name.next")
    }
}
