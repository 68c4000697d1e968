package org.tandem.desktop

import java.nio.file.Path
import java.util.Base64
import java.util.concurrent.TimeUnit
import kotlin.io.path.createDirectories
import kotlin.io.path.listDirectoryEntries
import kotlin.io.path.readBytes
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.test.fail
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.tandem.rotateKey
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.ValueInput
import uniffi.tandem_ffi.isStoreEncrypted

/**
 * A real Secret Service — GNOME Keyring's daemon on a D-Bus session bus of the test's own, its
 * keyrings in a temporary folder — stopped when closed. `scripts/test` installs dbus,
 * gnome-keyring and libsecret-tools.
 */
class SecretService(home: Path) : AutoCloseable {
    private val bus: Process
    private val daemon: Process
    val environment: Map<String, String>

    init {
        val runtime = home.resolve("run").createDirectories()
        java.nio.file.Files.setPosixFilePermissions(runtime, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"))
        // The bus's socket in the test's own folder, gone with it (not left in /tmp).
        bus = ProcessBuilder("dbus-daemon", "--session", "--nofork", "--print-address=1", "--address=unix:path=${runtime.resolve("bus")}")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
        val address = bus.inputStream.bufferedReader().readLine()?.trim()
            ?: fail("dbus-daemon printed no address")
        environment = mapOf("DBUS_SESSION_BUS_ADDRESS" to address, "XDG_RUNTIME_DIR" to runtime.toString())
        daemon = ProcessBuilder("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
            .also {
                it.environment().putAll(environment)
                it.environment()["HOME"] = home.toString()
                it.environment()["XDG_DATA_HOME"] = home.resolve("data").toString()
            }
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
        // The login keyring's password: it is made and unlocked with it.
        daemon.outputStream.use { it.write("the test's keyring".toByteArray()) }
        waitForTheService()
    }

    private fun waitForTheService() {
        repeat(600) {
            val check = ProcessBuilder(
                "dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets",
            ).also { it.environment().putAll(environment) }.redirectErrorStream(true).start()
            val said = check.inputStream.bufferedReader().readText()
            check.waitFor()
            if (said.contains("boolean true")) return
            Thread.sleep(100)
        }
        fail("the Secret Service never appeared on the test's bus")
    }

    /** The secret kept for [name], as libsecret's own client reads it with the command line's attributes. */
    fun lookup(name: String): String? {
        val lookup = ProcessBuilder("secret-tool", "lookup", "service", "org.tandem.store", "username", name)
            .also { it.environment().putAll(environment) }
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
        val out = lookup.inputStream.bufferedReader().readText()
        lookup.waitFor(60, TimeUnit.SECONDS)
        return out.takeIf { lookup.exitValue() == 0 && it.isNotBlank() }
    }

    override fun close() {
        for (process in listOf(daemon, bus)) {
            process.destroy()
            process.waitFor(10, TimeUnit.SECONDS)
        }
    }
}

/** The desktop host keeps a store's key in the desktop's keyring, where the command line keeps it. */
class KeyringTest {
    @TempDir
    lateinit var dir: Path

    private val word = "Curlews-on-the-estuary"

    private fun filesHold(folder: Path, text: String): Boolean = folder.listDirectoryEntries().any { file ->
        val bytes = file.readBytes()
        val needle = text.toByteArray()
        (0..bytes.size - needle.size).any { i -> needle.indices.all { bytes[i + it] == needle[it] } }
    }

    @Test
    fun `a new store opens with a key the keyring keeps, and without the keyring it waits for a passphrase`() {
        SecretService(dir.resolve("home").createDirectories()).use { keyring ->
            val vault = SecretServiceVault.reach(keyring.environment) ?: fail("the keyring answers")
            val folder = dir.resolve("stores").createDirectories()
            val path = folder.resolve("sam.db")
            val name = path.toAbsolutePath().toString()
            assertNotNull(openStore(path, null, vault)).store.use { store ->
                store.addValue(ValueInput(word, LifeArea.HEALTH, 8))
            }
            assertTrue(isStoreEncrypted(name))
            assertFalse(filesHold(folder, word), "no file of the store holds the word")
            val secret = assertNotNull(keyring.lookup(name), "the key, under the command line's attributes")
            assertEquals(32, Base64.getDecoder().decode(secret.trim()).size)
            assertNotNull(openStore(path, null, vault)).store.use { store ->
                assertTrue(store.journey().values.any { it.text == word })
            }

            // No keyring answering (no bus there): no vault, and the window asks instead.
            val elsewhere = mapOf("DBUS_SESSION_BUS_ADDRESS" to "unix:path=${dir.resolve("no-bus")}")
            assertNull(SecretServiceVault.reach(elsewhere))
            assertNull(SecretServiceVault.reach(keyring.environment + ("TANDEM_KEYRING" to "off")))
            assertNull(openStore(path, null, null))

            // A new key, kept in place of the old one.
            runBlocking { TandemStore.rotateKey(path, vault, name) }
            val rotated = assertNotNull(keyring.lookup(name))
            assertFalse(rotated.trim() == secret.trim(), "a new key")
            assertNull(keyring.lookup("$name.next"))
            assertNotNull(openStore(path, null, vault)).store.use { store ->
                assertTrue(store.journey().values.any { it.text == word })
            }
        }
    }

    @Test
    fun `a plain store stays plain, and opens, with a keyring there`() {
        SecretService(dir.resolve("home").createDirectories()).use { keyring ->
            val vault = SecretServiceVault.reach(keyring.environment) ?: fail("the keyring answers")
            val folder = dir.resolve("stores").createDirectories()
            val path = folder.resolve("alex.db")
            assertNotNull(openStore(path, null, null)).store.use { it.addValue(ValueInput(word, LifeArea.HEALTH, 8)) }
            assertTrue(filesHold(folder, word), "a plain store shows the word: the check can fail")
            assertNotNull(openStore(path, null, vault)).store.use { store ->
                assertFalse(store.isEncrypted())
            }
            assertNull(keyring.lookup(path.toAbsolutePath().toString()))
        }
    }
}
