package org.tandem.app

import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performSemanticsAction
import androidx.compose.ui.test.performTextReplacement
import java.nio.file.Path
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * Every screen, light, dark and at twice the font size: each written to build/screenshots/ (a
 * long screen page by page), each checked for unlabelled controls, text cut off, and nodes
 * outside the window. Against the real library, on a real store.
 */
class ScreensTest {
    companion object {
        /** Pictures from an earlier run would mislead: start from an empty folder. */
        @JvmStatic
        @BeforeAll
        fun clearScreenshots() {
            if (java.nio.file.Files.isDirectory(screenshots)) {
                java.nio.file.Files.list(screenshots).use { files ->
                    files.filter { it.fileName.toString().endsWith(".png") }.forEach(java.nio.file.Files::delete)
                }
            }
        }
    }

    @TempDir
    lateinit var dir: Path

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `a new person's screens say what to do when there is nothing yet`(look: Look) {
        openStore(dir).use { store ->
            runApp(store, look, firstRun = true) { state ->
                look("first-run-safety", look, state)
                runOnUiThread { state.safetyOpen = false }
                look("first-run-welcome", look, state)
                show(state, Screen.People)
                look("people-on-my-own", look, state)
                show(state, Screen.Today)
                look("today-empty", look, state)
                Stage.entries.forEach { stage ->
                    show(state, Screen.Journey, stage = stage)
                    look("journey-${stage.name.lowercase()}-empty", look, state)
                }
                show(state, Screen.Insights)
                look("insights-empty", look, state)
                show(state, Screen.Today, Screen.UnplannedCheckIn)
                look("unplanned-no-plans", look, state)
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `three weeks into Sam's journey every screen shows it plainly`(look: Look) {
        openStore(dir).use { store ->
            store.fillWithSamsJourney()
            runApp(store, look) { state ->
                show(state, Screen.Today)
                look("today", look, state)
                onNodeWithTag("check-in:Walk round the park:PARTLY").performScrollTo().performClick()
                settle(state)
                look("today-why", look, state)
                runOnUiThread { state.safetyOpen = true }
                settle(state)
                look("get-help", look, state)

                show(state, Screen.Today, Screen.UnplannedCheckIn)
                look("unplanned", look, state)
                Stage.entries.forEach { stage ->
                    show(state, Screen.Journey, stage = stage)
                    look("journey-${stage.name.lowercase()}", look, state)
                }
                val goal = state.journey!!.goals.single()
                show(state, Screen.Journey, Screen.Goal(goal.id), Stage.Goals)
                look("goal", look, state)

                show(state, Screen.Journey, Screen.AddValue, Stage.WhatMatters)
                look("form-value", look, state)
                onNodeWithTag("field:text").performTextReplacement("Being kind to myself")
                onNodeWithTag("field:importance").performTextReplacement("12")
                onNodeWithTag("save").performClick()
                settle(state)
                look("form-value-refused", look, state)
                show(state, Screen.Journey, Screen.AddStrength, Stage.WhatMatters)
                look("form-strength", look, state)
                show(state, Screen.Journey, Screen.AddSupport, Stage.WhatMatters)
                look("form-support", look, state)
                show(state, Screen.Journey, Screen.WriteVision, Stage.WhatMatters)
                look("form-vision", look, state)
                show(state, Screen.Journey, Screen.AddGoal, Stage.Goals)
                look("form-goal", look, state)
                onNodeWithTag("save").performScrollTo().performClick()
                settle(state)
                look("form-goal-refused", look, state)
                show(state, Screen.Journey, Screen.AddPlan(goal.id), Stage.Plans)
                onNodeWithTag("add-time").performScrollTo().performClick()
                settle(state)
                look("form-plan", look, state)
                onNodeWithTag("field:what").performTextReplacement("Stretch")
                onNodeWithTag("save").performScrollTo().performClick()
                settle(state)
                look("form-plan-refused", look, state)
                show(state, Screen.Journey, Screen.AddReview(), Stage.Reviews)
                look("form-review", look, state)

                show(state, Screen.Insights)
                look("insights", look, state)
            }
        }
    }
}

/** Checks the screen on show, then writes it (page by page when it scrolls) to PNG. */
/** Checks the screen on show (labels, nothing cut off or outside) and writes it page by page. */
fun SkikoComposeUiTest.look(name: String, look: Look, state: AppState) {
    settle(state)
    assertEveryControlLabelled("$name (${look.fileSuffix})")
    assertNothingClippedOrOutside("$name (${look.fileSuffix})")
    screenshot(name, look)
    val scrolling = onAllNodes(SemanticsMatcher.keyIsDefined(SemanticsProperties.VerticalScrollAxisRange)).fetchSemanticsNodes()
        .maxByOrNull { it.size.height } ?: return
    val viewport = scrolling.size.height.toFloat()
    var page = 2
    while (page <= 16) {
        val range = onAllNodes(SemanticsMatcher.keyIsDefined(SemanticsProperties.VerticalScrollAxisRange))
            .fetchSemanticsNodes().maxByOrNull { it.size.height }?.config?.get(SemanticsProperties.VerticalScrollAxisRange) ?: return
        if (range.value() >= range.maxValue() - 1f) return
        onNode(SemanticsMatcher("the screen's scrolling column") { it.id == scrolling.id })
            .performSemanticsAction(SemanticsActions.ScrollBy) { it(0f, viewport * 0.85f) }
        settle(state)
        screenshot("$name-$page", look)
        page++
    }
}
