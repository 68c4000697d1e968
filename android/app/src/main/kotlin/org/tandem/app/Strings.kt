package org.tandem.app

import androidx.compose.runtime.staticCompositionLocalOf
import java.io.InputStream
import java.util.Locale
import javax.xml.parsers.DocumentBuilderFactory
import org.w3c.dom.Element

/**
 * Every string the app shows, by the name it has in `res/values/strings.xml`.
 *
 * That file is Android's own resource format: the Android build compiles it as usual (and its
 * translations in `values-xx/`), the shell passes [Strings.fromTable] a table read from its
 * resources by these names; on the desktop [Strings.load] reads the same file from the
 * classpath. Screens never hold a sentence of their own: they ask [LocalStrings].
 */
class Strings(private val table: Map<String, String>, val locale: Locale) {

    /** The string [key], as written (no formatting). */
    operator fun get(key: S): String = table[key.name] ?: error("no string ${key.name} in strings.xml")

    /** The string [key] with its `%1$s`-style placeholders filled, as Android's `getString(id, args)`. */
    fun format(key: S, vararg args: Any): String = String.format(locale, get(key), *args)

    /** [one] when [count] is 1, else [other], each formatted with [count] first and then [args]. */
    fun count(one: S, other: S, count: Int, vararg args: Any): String =
        format(if (count == 1) one else other, count, *args)

    companion object {
        /** A table from the Android shell (`resources.getString(id)` for each name of [S]). */
        fun fromTable(table: Map<String, String>, locale: Locale): Strings = Strings(table, locale)

        /**
         * The strings for [locale] from the classpath: `values-<language>/strings.xml` where it
         * exists, each missing name taken from `values/strings.xml` (English).
         */
        fun load(locale: Locale = Locale.getDefault()): Strings {
            val english = read("values/strings.xml") ?: error("values/strings.xml is not on the classpath")
            val translated = read("values-${locale.language}/strings.xml").orEmpty()
            return Strings(english + translated, locale)
        }

        private fun read(path: String): Map<String, String>? =
            Strings::class.java.classLoader.getResourceAsStream(path)?.use(::parse)

        /** Reads an Android `strings.xml`: `<string name="x">text</string>`, Android's escapes undone. */
        fun parse(xml: InputStream): Map<String, String> {
            val doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml)
            val nodes = doc.getElementsByTagName("string")
            return (0 until nodes.length).associate { i ->
                val element = nodes.item(i) as Element
                element.getAttribute("name") to unescape(element.textContent)
            }
        }

        private fun unescape(text: String): String {
            val out = StringBuilder()
            var i = 0
            while (i < text.length) {
                val c = text[i]
                if (c == '\\' && i + 1 < text.length) {
                    out.append(
                        when (val next = text[i + 1]) {
                            'n' -> '\n'
                            't' -> '\t'
                            else -> next // \' \" \@ \? \\
                        },
                    )
                    i += 2
                } else {
                    out.append(c)
                    i++
                }
            }
            return out.toString()
        }
    }
}

/** The strings of the running app. */
val LocalStrings = staticCompositionLocalOf<Strings> { error("TandemApp provides the strings") }
