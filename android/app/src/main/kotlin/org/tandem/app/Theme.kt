package org.tandem.app

import androidx.compose.material3.ColorScheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Typography
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.text.TextStyle
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.sp

// Calm colours: a deep teal on near-white, a soft teal on near-black. Every pair of text and
// the background it sits on reaches 4.5:1 or more (ThemeTest computes them); no information is
// carried by colour alone (every bar and state says its figure or word too).

/** The light scheme. */
val LightColors: ColorScheme = lightColorScheme(
    primary = Color(0xFF1F5F5B),
    onPrimary = Color(0xFFFFFFFF),
    primaryContainer = Color(0xFFCDE8E3),
    onPrimaryContainer = Color(0xFF0B2E2B),
    secondary = Color(0xFF44605C),
    onSecondary = Color(0xFFFFFFFF),
    secondaryContainer = Color(0xFFD6E6E2),
    onSecondaryContainer = Color(0xFF112220),
    tertiary = Color(0xFF55557F),
    onTertiary = Color(0xFFFFFFFF),
    tertiaryContainer = Color(0xFFE2E0FA),
    onTertiaryContainer = Color(0xFF1A1A3A),
    error = Color(0xFFA3302A),
    onError = Color(0xFFFFFFFF),
    errorContainer = Color(0xFFFFDAD6),
    onErrorContainer = Color(0xFF410002),
    background = Color(0xFFF7FAF8),
    onBackground = Color(0xFF161D1C),
    surface = Color(0xFFF7FAF8),
    onSurface = Color(0xFF161D1C),
    surfaceVariant = Color(0xFFDCE5E2),
    onSurfaceVariant = Color(0xFF3C4947),
    surfaceContainerLowest = Color(0xFFFFFFFF),
    surfaceContainerLow = Color(0xFFF0F4F2),
    surfaceContainer = Color(0xFFEAF0EE),
    surfaceContainerHigh = Color(0xFFE4EBE8),
    surfaceContainerHighest = Color(0xFFDEE5E2),
    outline = Color(0xFF6F7A78),
    outlineVariant = Color(0xFFBFC9C6),
    inverseSurface = Color(0xFF2B3231),
    inverseOnSurface = Color(0xFFECF2EF),
    inversePrimary = Color(0xFF8FD1CA),
)

/** The dark scheme. */
val DarkColors: ColorScheme = darkColorScheme(
    primary = Color(0xFF8FD1CA),
    onPrimary = Color(0xFF003733),
    primaryContainer = Color(0xFF1F4E4A),
    onPrimaryContainer = Color(0xFFCDE8E3),
    secondary = Color(0xFFB3CCC7),
    onSecondary = Color(0xFF1D3532),
    secondaryContainer = Color(0xFF334B48),
    onSecondaryContainer = Color(0xFFD6E6E2),
    tertiary = Color(0xFFC3C1EE),
    onTertiary = Color(0xFF2C2B54),
    tertiaryContainer = Color(0xFF43426C),
    onTertiaryContainer = Color(0xFFE2E0FA),
    error = Color(0xFFFFB4AB),
    onError = Color(0xFF690005),
    errorContainer = Color(0xFF93000A),
    onErrorContainer = Color(0xFFFFDAD6),
    background = Color(0xFF0F1514),
    onBackground = Color(0xFFDDE4E2),
    surface = Color(0xFF0F1514),
    onSurface = Color(0xFFDDE4E2),
    surfaceVariant = Color(0xFF3C4947),
    onSurfaceVariant = Color(0xFFBFC9C6),
    surfaceContainerLowest = Color(0xFF0A0F0E),
    surfaceContainerLow = Color(0xFF171D1C),
    surfaceContainer = Color(0xFF1B2120),
    surfaceContainerHigh = Color(0xFF252B2A),
    surfaceContainerHighest = Color(0xFF303635),
    outline = Color(0xFF899492),
    outlineVariant = Color(0xFF3F4947),
    inverseSurface = Color(0xFFDDE4E2),
    inverseOnSurface = Color(0xFF2B3231),
    inversePrimary = Color(0xFF1F5F5B),
)

/** Slightly larger body text than Material's default: easier on a tired day. */
private val TandemTypography: Typography = Typography().run {
    copy(
        bodyLarge = bodyLarge.copy(fontSize = 17.sp, lineHeight = 24.sp),
        bodyMedium = bodyMedium.copy(fontSize = 15.sp, lineHeight = 21.sp),
        titleLarge = titleLarge.copy(fontWeight = FontWeight.Medium),
        labelLarge = labelLarge.copy(fontSize = 15.sp, lineHeight = 20.sp),
    )
}

/** Tandem's theme: [dark] picks the dark scheme (the host passes the system's choice). */
@Composable
fun TandemTheme(dark: Boolean, content: @Composable () -> Unit) {
    MaterialTheme(
        colorScheme = if (dark) DarkColors else LightColors,
        typography = TandemTypography,
        content = content,
    )
}

/** A text style for figures in charts: the label style, tabular where the font has it. */
internal val FigureStyle: TextStyle
    @Composable get() = MaterialTheme.typography.labelLarge
