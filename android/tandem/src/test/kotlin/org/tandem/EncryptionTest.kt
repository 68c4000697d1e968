package org.tandem

import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.listDirectoryEntries
import kotlin.io.path.readBytes
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.tandem_ffi.KeyVault
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.StoreKey
import uniffi.tandem_ffi.TandemException
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.ValueInput
import uniffi.tandem_ffi.changeStoreKey
import uniffi.tandem_ffi.isStoreEncrypted
import uniffi.tandem_ffi.newStoreKey

/** A key store in memory, as the Android Keystore or the iOS Keychain would keep the keys. */
class MemoryVault : KeyVault {
    val keys = mutableMapOf<String, ByteArray>()
    override fun load(name: String): ByteArray? = keys[name]
    override fun save(name: String, key: ByteArray) { keys[name] = key.copyOf() }
    override fun remove(name: String) { keys.remove(name) }
}

/** Encryption at rest through the bindings, with the key kept by the app's vault (Kotlin on the JVM, the real library). */
class EncryptionTest {
    @TempDir
    lateinit var dir: Path

    private val word = "Lighthouse-keeper-Sundays"

    private fun filesHold(text: String): Boolean = dir.listDirectoryEntries().any { file ->
        val bytes = file.readBytes()
        val needle = text.toByteArray()
        (0..bytes.size - needle.size).any { i -> needle.indices.all { bytes[i + it] == needle[it] } }
    }

    private fun TandemStore.addWord() = addValue(ValueInput(word, LifeArea.HEALTH, 8))

    private fun TandemStore.hasWord() = journey().values.any { it.text == word }

    @Test
    fun `a store opened with the vault's key keeps no readable word, and opens only with that key`() = runBlocking {
        Host.requireLibrary()
        val path = dir.resolve("sam.db")
        val vault = MemoryVault()
        TandemStore.openEncrypted(path, vault, "sam", London).use { sam ->
            assertTrue(sam.isEncrypted())
            sam.addWord()
            assertFalse(filesHold(word), "no file of an open encrypted store holds the word")
        }
        assertEquals(32, assertNotNull(vault.keys["sam"]).size)
        assertFalse(filesHold(word))
        assertTrue(isStoreEncrypted(path.toString()))
        assertFailsWith<TandemException.KeyNeeded> { TandemStore(path.toString()) }
        assertFailsWith<TandemException.WrongKey> { TandemStore(path.toString(), key = StoreKey.Key(newStoreKey())) }
        TandemStore.openEncrypted(path, vault, "sam", London).use { assertTrue(it.hasWord()) }
        // A vault that lost the key cannot open it: said, not a new empty store.
        assertFailsWith<TandemException.KeyNeeded> { TandemStore.openEncrypted(path, MemoryVault(), "sam", London) }
        Unit
    }

    @Test
    fun `a plain store is encrypted in place on its first open with the vault`() = runBlocking {
        val path = dir.resolve("sam.db")
        dir.openStore("sam").use { sam -> sam.addWord() }
        assertTrue(filesHold(word), "a plain store shows the word: the check can fail")
        TandemStore.openEncrypted(path, MemoryVault(), "sam", London).use { sam ->
            assertTrue(sam.isEncrypted() && sam.hasWord())
        }
        assertFalse(filesHold(word))
    }

    @Test
    fun `the key can be rotated, and a rotation cut short is finished on the next open`() = runBlocking {
        val path = dir.resolve("sam.db")
        val vault = MemoryVault()
        TandemStore.openEncrypted(path, vault, "sam", London).use { it.addWord() }
        val first = vault.keys.getValue("sam")
        TandemStore.rotateKey(path, vault, "sam")
        val second = vault.keys.getValue("sam")
        assertFalse(first.contentEquals(second))
        assertNull(vault.keys["sam.next"])
        assertFailsWith<TandemException.WrongKey> { TandemStore(path.toString(), key = StoreKey.Key(first)) }
        TandemStore.openEncrypted(path, vault, "sam", London).use { assertTrue(it.hasWord()) }

        // As if the app died after the store changed to a new key but before the vault kept it
        // under its name: the key waits under "sam.next".
        val third = newStoreKey()
        vault.save("sam.next", third)
        changeStoreKey(path.toString(), StoreKey.Key(second), StoreKey.Key(third))
        TandemStore.openEncrypted(path, vault, "sam", London).use { assertTrue(it.hasWord()) }
        assertContentEquals(third, vault.keys["sam"])
        assertNull(vault.keys["sam.next"])
    }

    @Test
    fun `a passphrase opens its store, and a wrong one is refused in words`() = runBlocking {
        val path = dir.resolve("sam.db").toString()
        TandemStore(path, key = StoreKey.Passphrase("the river at dawn")).use { it.addWord() }
        val wrong = assertFailsWith<TandemException.WrongKey> { TandemStore(path, key = StoreKey.Passphrase("the sea at dusk")) }
        assertEquals("this passphrase does not open this store; nothing was changed", wrong.sentence)
        assertFailsWith<TandemException.InvalidInput> { TandemStore(path, key = StoreKey.Passphrase("")) }
        TandemStore(path, key = StoreKey.Passphrase("the river at dawn")).use { assertTrue(it.hasWord()) }
        assertTrue(Files.exists(dir.resolve("sam.db")))
        Unit
    }
}
