package org.tandem.app

import java.io.InputStream
import java.util.Locale

/** A line to call for help now. [region] is an ISO country code, or `*` for anywhere. */
data class CrisisLine(val region: String, val name: String, val number: String, val note: String?)

/**
 * The crisis lines the safety notice lists, read from one data file (`crisis-lines.tsv`, see
 * its header for the format), with the person's [region]'s lines first.
 */
class CrisisLines(val lines: List<CrisisLine>, val region: String) {

    /** The lines of [region], then the ones for anywhere. */
    val here: List<CrisisLine> get() = lines.filter { it.region == region } + lines.filter { it.region == ANYWHERE }

    /** Every other region's lines, by region. */
    val elsewhere: Map<String, List<CrisisLine>>
        get() = lines.filter { it.region != region && it.region != ANYWHERE }.groupBy { it.region }

    companion object {
        const val ANYWHERE = "*"

        /** The default set shipped with the app, for [region] (default: the device's country). */
        fun default(region: String = Locale.getDefault().country): CrisisLines {
            val file = CrisisLines::class.java.getResourceAsStream("crisis-lines.tsv")
                ?: error("crisis-lines.tsv is not on the classpath")
            return CrisisLines(file.use(::parse), region.uppercase())
        }

        /** Reads the tab-separated format; `#` starts a comment line. */
        fun parse(input: InputStream): List<CrisisLine> =
            input.bufferedReader(Charsets.UTF_8).readLines()
                .filter { it.isNotBlank() && !it.startsWith("#") }
                .map { line ->
                    val cells = line.split('\t').map(String::trim)
                    require(cells.size >= 3) { "a crisis line needs region, name and number: $line" }
                    CrisisLine(cells[0].uppercase(), cells[1], cells[2], cells.getOrNull(3)?.ifEmpty { null })
                }
    }
}
