package org.tandem.app

import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.assertIsSelected
import androidx.compose.ui.test.assertTextEquals
import androidx.compose.ui.test.hasAnyAncestor
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.onAllNodesWithTag
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.printToString
import kotlin.test.fail
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.performTextReplacement
import java.nio.file.Path
import java.time.LocalDate
import java.time.format.TextStyle
import java.util.Locale
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.tandem.weekday
import uniffi.tandem_ffi.Outcome
import uniffi.tandem_ffi.Reason
import uniffi.tandem_ffi.Repeat

/**
 * A client's first week, through the screens only, on a real store: the safety notice, what
 * matters, a goal with a step, two plans, checking in from Today (partly and why, then done),
 * something extra, a review, and the insight pictures changing.
 */
class FirstWeekTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `Sam starts with nothing, plans a daily walk, checks in from Today and sees the week change`() {
        openStore(dir).use { store ->
            runApp(store, firstRun = true) { state ->
                // First run: the safety notice, before anything else.
                onNodeWithTag("safety").assertExists()
                onNodeWithText(strings[S.safety_not_monitored]).assertExists()
                onNodeWithText("Samaritans").assertExists()
                tap(state, "safety-close")
                // Then the welcome: Sam starts on their own, with no account.
                onNodeWithTag("welcome").assertExists()
                tap(state, "welcome-alone")
                if (onAllNodesWithTag("sync-status").fetchSemanticsNodes().isEmpty()) fail(onRoot().printToString())
                onNodeWithTag("sync-status").assertTextEquals(strings[S.sync_this_device_only])
                onNodeWithText(strings[S.today_empty]).assertExists()

                // Stage 1: something that matters.
                tab(state, "Journey")
                tap(state, "add-value")
                onNodeWithTag("field:text").performTextInput("Being there for my kids")
                onNodeWithTag("area:${strings[S.area_family]}").performClick()
                onNodeWithTag("field:importance").performTextReplacement("9")
                tap(state, "save")
                onNodeWithText("Being there for my kids").assertExists()
                val value = store.journey().values.single()
                assertEquals(9, value.importance)

                // Stage 2: a goal for it, with a first step, done.
                tap(state, "stage:${strings[S.stage_goals]}")
                tap(state, "add-goal")
                onNodeWithTag("field:text").performTextInput("Walk three times a week")
                onNodeWithText("Being there for my kids").performClick()
                onNodeWithTag("field:importance").performTextReplacement("8")
                onNodeWithTag("field:confidence").performTextReplacement("6")
                tap(state, "save")
                tap(state, "goal:Walk three times a week")
                onNodeWithTag("field:text").performTextInput("Find a route round the park")
                tap(state, "add-step")
                onNodeWithText("Find a route round the park").performClick()
                settle(state)
                val goal = store.journey().goals.single()
                assertEquals(listOf(value.id), goal.valueIds)
                assertEquals(8 to 6, goal.importance to goal.confidence)
                assertEquals(listOf("Find a route round the park" to true), goal.steps.map { it.text to it.done })

                // Stage 3: a walk on today's day of the week, for the goal; a call on another day.
                val today = state.todayDate()
                tap(state, "plan-for-goal")
                onNodeWithTag("field:what").performTextInput("Walk round the park")
                onNode(hasContentDescription(dayName(today))).performClick()
                tap(state, "save")
                onNodeWithText("Walk round the park").assertExists() // back on the goal, with its plan
                tap(state, "back")
                tab(state, "Journey")
                tap(state, "stage:${strings[S.stage_plans]}")
                tap(state, "add-plan")
                onNodeWithTag("field:what").performTextInput("Call Jo")
                onNode(hasContentDescription(dayName(today.plusDays(1)))).performClick()
                tap(state, "save")
                val plans = store.journey().plans
                assertEquals(listOf("Walk round the park", "Call Jo"), plans.map { it.what })
                assertEquals(Repeat.Weekly(listOf(today.dayOfWeek.weekday)), plans[0].schedule.repeat)
                assertEquals(goal.id, plans[0].goalId)

                // Nothing counted yet.
                tab(state, "Insights")
                onNodeWithText(strings[S.insights_empty]).assertExists()

                // Stage 4: Today lists the walk (the call is tomorrow); partly, too tired; then done.
                tab(state, "Today")
                onNodeWithTag("today:Walk round the park").assertExists()
                onNodeWithTag("today:Call Jo").assertDoesNotExist()
                tap(state, "check-in:Walk round the park:PARTLY")
                onNodeWithText(strings[S.reason_too_tired]).performClick()
                tap(state, "save-why:Walk round the park")
                val partly = store.checkIns(today.toString(), today.toString()).single()
                assertEquals(Outcome.PARTLY to listOf(Reason.TOO_TIRED), partly.outcome to partly.reasons)
                tap(state, "check-in:Walk round the park:DONE")
                assertEquals(Outcome.DONE, store.checkIns(today.toString(), today.toString()).single().outcome)
                onNodeWithTag("check-in:Walk round the park:DONE").assertIsSelected()

                // Something extra: the call, a day early.
                tap(state, "unplanned")
                tap(state, "plan:Call Jo")
                tap(state, "save")
                assertEquals(setOf("Walk round the park", "Call Jo"), store.checkIns(today.toString(), today.toString()).map { c -> plans.first { it.id == c.planId }.what }.toSet())

                // A first look back.
                tab(state, "Journey")
                tap(state, "stage:${strings[S.stage_reviews]}")
                tap(state, "add-review")
                onNodeWithTag("field:motivation").performTextReplacement("7")
                onNodeWithTag("field:confidence").performTextReplacement("6")
                onNodeWithTag("field:progress").performTextReplacement("4")
                tap(state, "save")
                assertEquals(listOf(7 to 4), store.journey().reviews.map { it.motivation to it.progress })

                // The pictures changed: this week's bar is full, the call counts apart, the review shows.
                tab(state, "Insights")
                val monday = state.insightsRange().endInclusive.with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY))
                val bar = description("bar:week:$monday")
                assertContains(bar, "100%")
                assertContains(bar, "1 of 1 done")
                onNode(hasText("1 extra time", substring = true) and hasAnyAncestor(hasTestTag("insight:plan:Call Jo"))).assertExists()
                assertContains(description("trend:journey:MOTIVATION"), "7")
            }
        }
    }
}

/** Taps the node tagged [tag] and waits for the store to answer. */
fun ComposeUiTest.tap(state: AppState, tag: String) {
    val node = onNodeWithTag(tag)
    if (onAllNodesWithTag(tag).fetchSemanticsNodes().isEmpty()) {
        fail("no node tagged $tag on screen:\n" + onRoot().printToString())
    }
    // A control further down a scrolling screen: scroll to it first, as a person would.
    if (node.fetchSemanticsNode().inScrollingList()) node.performScrollTo()
    node.performClick()
    settle(state)
}

/** Taps a tab, as a person would. */
fun ComposeUiTest.tab(state: AppState, name: String) = tap(state, "tab:$name")

/** A drawn node's content description (what a screen reader says). */
fun ComposeUiTest.description(tag: String): String =
    onNodeWithTag(tag, useUnmergedTree = true).fetchSemanticsNode().config[SemanticsProperties.ContentDescription].joinToString()

private fun dayName(date: LocalDate): String = date.dayOfWeek.getDisplayName(TextStyle.FULL, Locale.UK)
