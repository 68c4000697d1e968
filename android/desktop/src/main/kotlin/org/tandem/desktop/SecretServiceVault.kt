package org.tandem.desktop

import java.util.Base64
import java.util.concurrent.TimeUnit
import uniffi.tandem_ffi.KeyVault
import uniffi.tandem_ffi.TandemException

/**
 * The desktop's keyring (the Secret Service: GNOME Keyring, KWallet, KeePassXC ...) as the
 * store's [KeyVault], through libsecret's own client, `secret-tool`.
 *
 * Items are the command line's (`cli/src/keyring.rs`): attributes `service` = [SERVICE] and
 * `username` = the name (the store file's absolute path), the secret the key in base64 — so a
 * store made by `tandem` opens here, and the other way round.
 *
 * [environment] is added to the programs' environment (the tests point it at a bus of their
 * own).
 */
class SecretServiceVault private constructor(private val environment: Map<String, String>) : KeyVault {
    override fun load(name: String): ByteArray? {
        val answer = run(listOf("lookup", "service", SERVICE, "username", name))
        if (answer.code != 0) {
            // Not found: exit 1 and nothing said. Anything said is a failure of the keyring.
            if (answer.err.isBlank()) return null
            throw TandemException.Storage("the desktop's keyring: ${answer.err.trim()}")
        }
        if (answer.out.isBlank()) return null
        return try {
            Base64.getDecoder().decode(answer.out.trim())
        } catch (e: IllegalArgumentException) {
            throw TandemException.Storage("the desktop's keyring holds something that is not a key for $name")
        }
    }

    override fun save(name: String, key: ByteArray) {
        val answer = run(
            listOf("store", "--label=Tandem: the key of the store $name", "service", SERVICE, "username", name),
            input = Base64.getEncoder().encodeToString(key),
        )
        if (answer.code != 0) throw TandemException.Storage("the desktop's keyring: ${answer.err.trim()}")
    }

    override fun remove(name: String) {
        val answer = run(listOf("clear", "service", SERVICE, "username", name))
        // Nothing to clear is not a failure.
        if (answer.code != 0 && answer.err.isNotBlank()) {
            throw TandemException.Storage("the desktop's keyring: ${answer.err.trim()}")
        }
    }

    private class Answer(val code: Int, val out: String, val err: String)

    private fun run(args: List<String>, input: String? = null): Answer {
        val process = ProcessBuilder(listOf("secret-tool") + args)
            .also { it.environment().putAll(environment) }
            .start()
        process.outputStream.use { stdin -> if (input != null) stdin.write(input.toByteArray()) }
        // Read both while it runs, so neither pipe fills.
        val err = StringBuilder()
        val errReader = Thread { err.append(process.errorStream.bufferedReader().readText()) }.apply { start() }
        val out = process.inputStream.bufferedReader().readText()
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            throw TandemException.Storage("the desktop's keyring did not answer within a minute")
        }
        errReader.join()
        return Answer(process.exitValue(), out, err.toString())
    }

    companion object {
        /** The items' `service` attribute, as the command line's. */
        const val SERVICE = "org.tandem.store"

        /**
         * The keyring, when a Secret Service answers through `secret-tool` (and
         * `TANDEM_KEYRING` is not `off`); null otherwise, and the store opens with a passphrase.
         */
        fun reach(environment: Map<String, String> = emptyMap()): SecretServiceVault? {
            val keyring = environment["TANDEM_KEYRING"] ?: System.getenv("TANDEM_KEYRING")
            if (keyring.equals("off", ignoreCase = true)) return null
            val vault = SecretServiceVault(environment)
            return try {
                vault.load("org.tandem.probe")
                vault
            } catch (e: java.io.IOException) {
                null // no secret-tool
            } catch (e: TandemException) {
                null // no Secret Service on the session bus
            }
        }
    }
}
