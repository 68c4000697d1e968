package org.tandem.app

import androidx.compose.material3.ColorScheme
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.compositeOver
import androidx.compose.ui.graphics.luminance
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

/** Text contrast of at least 4.5:1 (WCAG AA) for every text colour on the surfaces it is used on, in both themes. */
class ThemeTest {
    private fun contrast(a: Color, b: Color): Double {
        val (hi, lo) = listOf(a.luminance().toDouble(), b.luminance().toDouble()).sortedDescending()
        return (hi + 0.05) / (lo + 0.05)
    }

    /** The text/background pairs the screens use. */
    private fun pairs(c: ColorScheme): Map<String, Pair<Color, Color>> = mapOf(
        "onBackground/background" to (c.onBackground to c.background),
        "onSurface/surface" to (c.onSurface to c.surface),
        "onSurfaceVariant/surface" to (c.onSurfaceVariant to c.surface),
        "onSurface/surfaceContainerLow (cards)" to (c.onSurface to c.surfaceContainerLow),
        "onSurfaceVariant/surfaceContainerLow (card details)" to (c.onSurfaceVariant to c.surfaceContainerLow),
        "onSurface/surfaceContainer (tabs)" to (c.onSurface to c.surfaceContainer),
        "primary/surface (buttons' text, outlined)" to (c.primary to c.surface),
        "primary/surfaceContainerLow (buttons on cards, area names)" to (c.primary to c.surfaceContainerLow),
        "onPrimary/primary (filled buttons)" to (c.onPrimary to c.primary),
        "onSecondaryContainer/secondaryContainer (selected chips and tab)" to (c.onSecondaryContainer to c.secondaryContainer),
        "onTertiaryContainer/tertiaryContainer (safety notice)" to (c.onTertiaryContainer to c.tertiaryContainer),
        "error/surface (a refusal beside its field)" to (c.error to c.surface),
        "onErrorContainer/errorContainer (a refusal on top, sync errors)" to (c.onErrorContainer to c.errorContainer),
        "onSurfaceVariant/surfaceVariant" to (c.onSurfaceVariant to c.surfaceVariant),
        "onSurface/surfaceContainerHighest (text field, chips)" to (c.onSurface to c.surfaceContainerHighest),
    )

    @Test
    fun `light scheme text reaches 4_5 to 1`() = check("light", LightColors)

    @Test
    fun `dark scheme text reaches 4_5 to 1`() = check("dark", DarkColors)

    private fun check(name: String, scheme: ColorScheme) {
        val low = pairs(scheme).mapValues { (_, p) -> contrast(p.first.compositeOver(p.second), p.second) }.filterValues { it < 4.5 }
        assertTrue(low.isEmpty(), "$name: below 4.5:1: " + low.entries.joinToString { "${it.key} %.2f".format(it.value) })
    }
}
