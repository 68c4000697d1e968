package org.tandem.app

import androidx.compose.ui.test.assertTextContains
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.onAllNodesWithTag
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextReplacement
import java.nio.file.Path
import java.time.DayOfWeek
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import uniffi.tandem_ffi.Repeat
import uniffi.tandem_ffi.Weekday

/**
 * Sam changes and removes what he wrote: a value reworded and rated again (a rating of 12 is
 * the core's sentence and changes nothing), a strength removed after he reads what that does,
 * a support reworded, a plan removed, a goal removed from its own screen. The store holds each.
 */
class EditingTest {
    @TempDir
    lateinit var dir: Path

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `Sam changes a value, removes a strength, a plan and a goal`(look: Look) {
        openStore(dir).use { sam ->
            sam.fillWithSamsJourney()
            runApp(sam, look) { state ->
                show(state, Screen.Journey, stage = Stage.WhatMatters)
                onNodeWithTag("change:Learning to cook properly").performScrollTo()
                look("journey-item-actions", look, state)

                // A value reworded and rated again; 12 first, which the core refuses.
                tap(state, "change:Learning to cook properly")
                onNodeWithTag("field:text").performTextReplacement("Cooking for the kids")
                onNodeWithTag("field:importance").performTextReplacement("12")
                tap(state, "save")
                onAllNodesWithTag("error:importance").fetchSemanticsNodes().let { assertEquals(1, it.size) }
                assertTrue(sam.journey().values.any { it.text == "Learning to cook properly" }, "nothing changed")
                look("value-change-refused", look, state)
                onNodeWithTag("field:importance").performTextReplacement("9")
                tap(state, "save")
                val cooking = sam.journey().values.single { it.text == "Cooking for the kids" }
                assertEquals(9, cooking.importance)

                // A strength removed, after reading what that does.
                tap(state, "remove:I keep going")
                onNodeWithText(strings.format(S.item_remove_what, "I keep going")).performScrollTo().assertExists()
                look("strength-remove", look, state)
                tap(state, "remove-yes:I keep going")
                assertTrue(sam.journey().strengths.isEmpty())

                // A support reworded.
                tap(state, "change:My sister Jo")
                onNodeWithTag("field:name").performTextReplacement("Jo, my sister")
                tap(state, "save")
                assertEquals(listOf("Jo, my sister", "The walking group"), sam.journey().supports.map { it.name })

                // A plan removed.
                show(state, Screen.Journey, stage = Stage.Plans)
                tap(state, "remove:Call Jo")
                tap(state, "remove-yes:Call Jo")
                assertEquals(listOf("Walk round the park"), sam.journey().plans.map { it.what })

                // A goal removed from its own screen.
                val goal = sam.journey().goals.single()
                show(state, Screen.Journey, Screen.Goal(goal.id))
                tap(state, "remove:${goal.text}")
                tap(state, "remove-yes:${goal.text}")
                assertTrue(sam.journey().goals.isEmpty())
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `Sam moves his walk to Tuesdays and Thursdays at nine, and rates his goal again`(look: Look) {
        openStore(dir).use { sam ->
            sam.fillWithSamsJourney()
            runApp(sam, look) { state ->
                show(state, Screen.Journey, stage = Stage.Plans)
                tap(state, "change:Walk round the park")
                onNodeWithTag("field:what").assertTextContains("Walk round the park")
                onNodeWithTag("field:place").performScrollTo().assertTextContains("Victoria Park")
                look("plan-change", look, state)

                // Weekly, with no day chosen: the core's sentence beside the days, nothing changed.
                tap(state, "repeat:${strings[S.plan_repeat_weekly]}")
                tap(state, "save")
                onAllNodesWithTag("error:schedule.days").fetchSemanticsNodes().let { assertEquals(1, it.size) }
                val before = sam.journey().plans.single { it.what == "Walk round the park" }
                assertTrue(before.schedule.repeat is Repeat.EveryNDays, "nothing changed")

                for (day in listOf(DayOfWeek.TUESDAY, DayOfWeek.THURSDAY)) {
                    onNode(hasContentDescription(strings.dayLong(day))).performScrollTo().performClick()
                }
                onNodeWithTag("field:schedule.times.0").performScrollTo().performTextReplacement("09:00")
                tap(state, "save")
                val walk = sam.journey().plans.single { it.what == "Walk round the park" }
                assertEquals(Repeat.Weekly(listOf(Weekday.TUE, Weekday.THU)), walk.schedule.repeat)
                assertEquals(listOf("09:00"), walk.schedule.times)
                // What the form did not touch stays, and the days before keep their schedule.
                assertEquals(before.place, walk.place)
                assertEquals(before.goalId, walk.goalId)
                assertEquals(before.start, walk.start)
                assertEquals(before.schedule, walk.earlierSchedules.last().schedule)

                // The goal rated again and reworded; its steps stay.
                val goal = sam.journey().goals.single()
                show(state, Screen.Journey, Screen.Goal(goal.id))
                tap(state, "change:${goal.text}")
                onNodeWithTag("field:text").performTextReplacement("Walk twice a week, whatever the weather")
                onNodeWithTag("field:confidence").performScrollTo().performTextReplacement("8")
                look("goal-change", look, state)
                tap(state, "save")
                val changed = sam.journey().goals.single()
                assertEquals("Walk twice a week, whatever the weather", changed.text)
                assertEquals(8, changed.confidence)
                assertEquals(goal.importance, changed.importance)
                assertEquals(goal.steps, changed.steps)
                assertEquals(goal.valueIds, changed.valueIds)
            }
        }
    }
}
