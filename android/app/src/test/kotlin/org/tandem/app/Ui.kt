package org.tandem.app

import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.asSkiaBitmap
import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performMouseInput
import androidx.compose.ui.test.v2.runSkikoComposeUiTest
import androidx.compose.ui.text.TextLayoutResult
import androidx.compose.ui.unit.Density
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.time.ZoneId
import kotlin.test.assertTrue
import kotlin.test.fail
import kotlinx.coroutines.runBlocking
import org.jetbrains.skia.EncodedImageFormat
import org.jetbrains.skia.Image
import org.tandem.open
import uniffi.tandem_ffi.TandemStore

/** How a test looks at the app: a phone-sized window, light or dark, at a font scale. */
enum class Look(val dark: Boolean, val fontScale: Float) {
    Light(false, 1f),
    Dark(true, 1f),
    LargeText(false, 2f),
    ;

    val fileSuffix: String get() = when (this) { Light -> "light"; Dark -> "dark"; LargeText -> "font-2x" }
}

/** A phone's window: 400 × 860 dp at 1.5 px per dp. */
const val WIDTH_DP = 400
const val HEIGHT_DP = 860
const val DENSITY = 1.5f

/** The folder the screenshots go to (the repository's build/screenshots). */
val screenshots: Path = Paths.get(System.getProperty("tandem.screenshots.dir") ?: "../../build/screenshots").toAbsolutePath()

val London: ZoneId = ZoneId.of("Europe/London")

/** A vault in memory, where a phone's Keystore would keep the store's key. */
class MemoryVault : uniffi.tandem_ffi.KeyVault {
    private val keys = mutableMapOf<String, ByteArray>()
    override fun load(name: String): ByteArray? = keys[name]?.copyOf()
    override fun save(name: String, key: ByteArray) { keys[name] = key.copyOf() }
    override fun remove(name: String) { keys.remove(name) }
}

/** Opens (creating) a real store in [dir], through the real Rust library. */
fun openStore(dir: Path, name: String = "sam"): TandemStore {
    val lib = Paths.get(System.getProperty("tandem.test.lib.dir") ?: "../../target/debug")
    if (listOf("libtandem_ffi.so", "libtandem_ffi.dylib", "tandem_ffi.dll").none { Files.exists(lib.resolve(it)) }) {
        fail("no tandem_ffi library in ${lib.toAbsolutePath()}: run scripts/bindings, or pass -Dtandem.lib.dir=<cargo target>/debug")
    }
    return runBlocking { TandemStore.open(dir.resolve("$name.db"), London) }
}

/**
 * Runs [block] with the whole app on [store], headless, as [look] says. The safety notice is
 * taken as seen unless [firstRun].
 */
@OptIn(ExperimentalTestApi::class)
fun runApp(
    store: TandemStore,
    look: Look = Look.Light,
    firstRun: Boolean = false,
    /** The store's file, for a device code to make it another device of an account. */
    storePath: String? = null,
    /** Where Settings saves an export of the person's data. */
    exportFolder: String? = null,
    /** How the store's file opens again (its key, for an encrypted one). */
    keys: StoreKeys = PlainKeys("Europe/London"),
    block: SkikoComposeUiTest.(AppState) -> Unit,
) = runSkikoComposeUiTest(
    Size(WIDTH_DP * DENSITY, HEIGHT_DP * DENSITY),
    Density(DENSITY, look.fontScale),
) {
    var state: AppState? = null
    setContent {
        TandemApp(
            store = store,
            strings = strings,
            crisisLines = CrisisLines.default("GB"),
            settings = MemorySettings(seen = !firstRun),
            dark = look.dark,
            storePath = storePath,
            exportFolder = exportFolder,
            keys = keys,
            onState = { state = it },
        )
    }
    waitUntil("the app started", 10_000) { state != null }
    val app = state!!
    settle(app)
    block(app)
}

/** The English strings, as the app shows them. */
val strings: Strings = Strings.load(java.util.Locale.UK)

/** Waits until every load and edit has come back from the store, and the screen is drawn. */
fun ComposeUiTest.settle(state: AppState) {
    waitForIdle()
    waitUntil("the store answered", 10_000) { state.work.idle }
    waitForIdle()
}

/** Opens [screen] on top of [tab], as a person tapping through would. */
fun ComposeUiTest.show(state: AppState, tab: Screen, screen: Screen? = null, stage: Stage? = null) {
    runOnUiThread {
        state.safetyOpen = false
        state.welcomeOpen = false
        if (stage != null) state.stage = stage
        state.openTab(tab)
        if (screen != null) state.open(screen)
    }
    settle(state)
}

/** Writes the window as `build/screenshots/<name>-<look>.png`. */
fun SkikoComposeUiTest.screenshot(name: String, look: Look) {
    // The pointer of the last tap would leave a hover shade on whatever is under it now:
    // move it to the corner, over the title.
    runCatching { onRoot().performMouseInput { moveTo(androidx.compose.ui.geometry.Offset(1f, 1f)) } }
    waitForIdle()
    val image = captureToImage()
    val png = Image.makeFromBitmap(image.asSkiaBitmap()).encodeToData(EncodedImageFormat.PNG)
        ?: fail("could not encode $name as PNG")
    Files.createDirectories(screenshots)
    Files.write(screenshots.resolve("$name-${look.fileSuffix}.png"), png.bytes)
}

private fun SemanticsNode.isInteractive(): Boolean {
    val c = config
    return SemanticsActions.OnClick in c || SemanticsActions.SetText in c || SemanticsProperties.ToggleableState in c
}

/**
 * Whether a text's layout does not fit the box it was given: a line wider than the box, lines
 * taller than it, lines dropped or ellipsised, a word broken across lines. (`hasVisualOverflow` alone also reports text
 * laid out in a wider paragraph than the width it takes, which is not cut off.)
 */
private fun TextLayoutResult.cutOff(): Boolean {
    val tooWide = (0 until lineCount).any { getLineRight(it) - getLineLeft(it) > size.width + 0.5f }
    val tooTall = multiParagraph.height > size.height + 0.5f
    val ellipsised = (0 until lineCount).any { isLineEllipsized(it) }
    // A word broken across two lines ("Journe" / "y") is cut off too, for a reader.
    val text = layoutInput.text.text
    val brokenWord = (0 until lineCount - 1).any { line ->
        val end = getLineEnd(line)
        end in 1 until text.length && text[end - 1].isLetterOrDigit() && text[end].isLetterOrDigit()
    }
    return tooWide || tooTall || multiParagraph.didExceedMaxLines || ellipsised || brokenWord
}

private fun SemanticsNode.describe(): String =
    (config.getOrNull(SemanticsProperties.Text)?.joinToString() ?: "") + " " +
        (config.getOrNull(SemanticsProperties.ContentDescription)?.joinToString() ?: "") +
        " [" + (config.getOrNull(SemanticsProperties.TestTag) ?: "") + "] at " + boundsInWindow

/** Every node a person can tap, type into or toggle has a text or a content description. */
fun ComposeUiTest.assertEveryControlLabelled(screen: String) {
    val nodes = onAllNodes(SemanticsMatcher("anything") { true }).fetchSemanticsNodes()
    val unlabelled = nodes.filter { it.isInteractive() }.filter { node ->
        val c = node.config
        val text = c.getOrNull(SemanticsProperties.Text).orEmpty().any { it.isNotBlank() }
        val description = c.getOrNull(SemanticsProperties.ContentDescription).orEmpty().any { it.isNotBlank() }
        !text && !description
    }
    assertTrue(unlabelled.isEmpty(), "$screen: controls without a label: ${unlabelled.map { it.describe() }}")
}

/**
 * No text is cut off (no text layout reports a visual overflow), and every node lies inside
 * the window: across it always, and down it unless it is in a scrolling list.
 */
fun ComposeUiTest.assertNothingClippedOrOutside(screen: String) {
    val root = onRoot().fetchSemanticsNode()
    val width = root.size.width
    val height = root.size.height
    val nodes = onAllNodes(SemanticsMatcher("anything") { true }, useUnmergedTree = true).fetchSemanticsNodes()
    val overflowing = nodes.filter { node ->
        val layouts = mutableListOf<TextLayoutResult>()
        node.config.getOrNull(SemanticsActions.GetTextLayoutResult)?.action?.invoke(layouts)
        layouts.any { it.cutOff() }
    }
    assertTrue(overflowing.isEmpty(), "$screen: text cut off: ${overflowing.map { node ->
        val layouts = mutableListOf<TextLayoutResult>()
        node.config.getOrNull(SemanticsActions.GetTextLayoutResult)?.action?.invoke(layouts)
        node.describe() + layouts.joinToString { r -> "size=${r.size} c=${r.layoutInput.constraints} mp=${r.multiParagraph.width}x${r.multiParagraph.height} lines=${(0 until r.lineCount).map { r.getLineRight(it) - r.getLineLeft(it) }} text='${r.layoutInput.text}'" }
    }}")
    val outside = nodes.filter { node ->
        val at = node.positionInWindow
        val right = at.x + node.size.width
        val bottom = at.y + node.size.height
        val across = at.x < -0.5f || right > width + 0.5f
        val down = at.y < -0.5f || bottom > height + 0.5f
        across || (down && !node.inScrollingList())
    }
    assertTrue(outside.isEmpty(), "$screen: outside the ${width}x$height window: ${outside.map { it.describe() }}")
}

fun SemanticsNode.inScrollingList(): Boolean {
    var node: SemanticsNode? = parent
    while (node != null) {
        if (SemanticsProperties.VerticalScrollAxisRange in node.config) return true
        node = node.parent
    }
    return false
}
