package org.tandem.app

import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

/** The default crisis lines: the numbers people in our first regions need, theirs first. */
class CrisisLinesTest {
    @Test
    fun `the default set has the emergency number and a line to talk to in each region`() {
        val numbers = CrisisLines.default("GB").lines.groupBy({ it.region }, { it.number })
        assertTrue("999" in numbers.getValue("GB") && "116 123" in numbers.getValue("GB"))
        assertTrue("116 123" in numbers.getValue("IE"))
        assertTrue("911" in numbers.getValue("US") && "988" in numbers.getValue("US"))
        assertTrue("000" in numbers.getValue("AU") && "13 11 14" in numbers.getValue("AU"))
        assertTrue("112" in numbers.getValue(CrisisLines.ANYWHERE))
    }

    @Test
    fun `a person in Australia sees Australian lines first, then 112, and the rest by country`() {
        val lines = CrisisLines.default("au")
        assertEquals(listOf("AU", "AU", "*"), lines.here.map { it.region })
        assertTrue("GB" in lines.elsewhere && "AU" !in lines.elsewhere)
    }

    @Test
    fun `a region with no lines of its own still gets the one for anywhere`() {
        assertEquals(listOf("112"), CrisisLines.default("FR").here.map { it.number })
    }
}
