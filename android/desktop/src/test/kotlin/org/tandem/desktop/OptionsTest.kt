package org.tandem.desktop

import java.nio.file.Path
import java.nio.file.Paths
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** The desktop host's command line and the settings file it keeps beside a store. */
class OptionsTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `a store, dark, offline, other crisis lines and a region are read, and nonsense is refused`() {
        assertEquals(Options(Paths.get("demo/client.db"), false, null, null), parseOptions(listOf("demo/client.db")))
        assertEquals(
            Options(Paths.get("s.db"), true, Paths.get("lines.tsv"), "IE", offline = true),
            parseOptions(listOf("--dark", "s.db", "--crisis-lines", "lines.tsv", "--region", "IE", "--offline")),
        )
        assertNull(parseOptions(emptyList()))
        assertNull(parseOptions(listOf("a.db", "b.db")))
        assertNull(parseOptions(listOf("a.db", "--region")))
        assertNull(parseOptions(listOf("a.db", "--loud")))
    }

    @Test
    fun `the safety notice is remembered per store, across runs`() {
        val store = dir.resolve("client.db")
        assertFalse(FileSettings.beside(store).safetyNoticeSeen())
        FileSettings.beside(store).setSafetyNoticeSeen()
        assertTrue(FileSettings.beside(store).safetyNoticeSeen())
        assertFalse(FileSettings.beside(dir.resolve("practitioner.db")).safetyNoticeSeen())
    }
}
