package org.tandem.app

import java.util.Locale
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

/** The strings table: every name of [S] in strings.xml and back, and each formats. */
class StringsTest {
    private val xml = Strings::class.java.classLoader.getResourceAsStream("values/strings.xml")!!.use(Strings::parse)

    @Test
    fun `strings xml and the names the screens use are the same list`() {
        assertEquals(S.entries.map { it.name }, xml.keys.toList())
    }

    @Test
    fun `every string formats with numbers and words, as Android's getString would`() {
        val s = Strings.load(Locale.UK)
        S.entries.forEach { key ->
            val text = s[key]
            assertTrue(text.isNotBlank(), "${key.name} is blank")
            val placeholders = Regex("%(\\d)\\$([sd])").findAll(text).map { it.groupValues[1].toInt() to it.groupValues[2] }.toList()
            val args: List<Any> = (1..(placeholders.maxOfOrNull { it.first } ?: 0)).map { n -> if (placeholders.any { it == n to "d" }) 3 else "x" }
            if (placeholders.isNotEmpty()) s.format(key, *args.toTypedArray())
            assertTrue(!text.contains("\\'"), "${key.name} keeps an escape: $text")
        }
    }

    @Test
    fun `a missing translation falls back to English`() {
        val s = Strings.load(Locale.forLanguageTag("cy"))
        assertEquals("Get help now", s[S.get_help])
    }
}
