package org.tandem.app

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import kotlin.io.path.readLines
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

/**
 * The shared screens compile on Android too: no source in app/src/main imports what only the
 * desktop has (AWT, Swing, Compose's AWT interop).
 */
class SharedSourcesTest {
    private val sources: Path = Paths.get(System.getProperty("tandem.app.sources") ?: "src/main/kotlin")
    private val desktopOnly = listOf("java.awt", "javax.swing", "androidx.compose.ui.awt")

    @Test
    fun `no shared screen imports java awt, javax swing or androidx compose ui awt`() {
        val files = Files.walk(sources).use { paths -> paths.filter { it.toString().endsWith(".kt") }.toList() }
        assertTrue(files.size > 5, "found only ${files.size} sources in $sources")
        val offending = files.flatMap { file ->
            file.readLines().withIndex()
                .filter { (_, line) -> line.trim().startsWith("import ") && desktopOnly.any { line.trim().removePrefix("import ").startsWith(it) } }
                .map { (n, line) -> "${sources.relativize(file)}:${n + 1}: ${line.trim()}" }
        }
        assertTrue(offending.isEmpty(), "desktop-only imports in the shared screens:\n" + offending.joinToString("\n"))
    }

    @Test
    fun `no shared screen names those packages in full either`() {
        val files = Files.walk(sources).use { paths -> paths.filter { it.toString().endsWith(".kt") }.toList() }
        val offending = files.filter { file ->
            file.readLines().any { line -> !line.trim().startsWith("//") && !line.trim().startsWith("*") && desktopOnly.any { "$it." in line } }
        }
        assertTrue(offending.isEmpty(), "desktop-only names in: $offending")
    }
}
