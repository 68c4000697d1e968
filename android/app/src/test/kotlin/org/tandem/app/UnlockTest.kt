package org.tandem.app

import androidx.compose.ui.geometry.Size
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.onAllNodesWithTag
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.performTextReplacement
import androidx.compose.ui.test.v2.runSkikoComposeUiTest
import androidx.compose.ui.unit.Density
import java.nio.file.Path
import kotlin.test.assertEquals
import kotlin.test.assertNull
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.StoreKey
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.ValueInput
import uniffi.tandem_ffi.isStoreEncrypted

/**
 * Sam's journey on a computer, encrypted with his passphrase: the app asks for it before
 * anything opens; a wrong one is refused beside the field and opens nothing; his opens it.
 */
class UnlockTest {
    @TempDir
    lateinit var dir: Path

    @OptIn(ExperimentalTestApi::class)
    @ParameterizedTest
    @EnumSource(Look::class)
    fun `a wrong passphrase opens nothing, Sam's opens his journey`(look: Look) {
        openStore(dir, "sam").close() // the library is where the tests expect it
        val path = dir.resolve("locked.db").toString()
        TandemStore(path, key = StoreKey.Passphrase("walks by the river")).use {
            it.addValue(ValueInput("Mornings in the garden", LifeArea.HEALTH, 7))
        }
        assertEquals(true, isStoreEncrypted(path))
        var opened: TandemStore? = null
        runSkikoComposeUiTest(Size(WIDTH_DP * DENSITY, HEIGHT_DP * DENSITY), Density(DENSITY, look.fontScale)) {
            setContent { UnlockScreen(path, strings, look.dark) { store, _ -> opened = store } }
            onNodeWithText(strings[S.unlock_intro]).assertExists()
            onNodeWithTag("unlock-open").performScrollTo().performClick()
            onNodeWithText(strings[S.unlock_empty]).assertExists()
            onNodeWithTag("field:passphrase").performTextInput("walks by the sea")
            onNodeWithTag("unlock-open").performScrollTo().performClick()
            // The core's sentence, beside the field, in place of the one about an empty field.
            waitUntil("the wrong passphrase is refused", 30_000) {
                onAllNodesWithTag("error:passphrase").fetchSemanticsNodes().any { node ->
                    node.config[SemanticsProperties.Text].joinToString() != strings[S.unlock_empty]
                }
            }
            waitForIdle()
            assertNull(opened, "a wrong passphrase opened the store")
            screenshot("unlock-wrong", look)
            onNodeWithTag("field:passphrase").performTextReplacement("walks by the river")
            onNodeWithTag("unlock-open").performScrollTo().performClick()
            waitUntil("Sam's passphrase opens the store", 30_000) { opened != null }
        }
        opened!!.use { store ->
            assertEquals(listOf("Mornings in the garden"), store.journey().values.map { it.text })
        }
    }
}
