package org.tandem.app

import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import java.nio.file.Path
import java.time.LocalDate
import kotlin.test.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** A goal with a date to reach it by and what reaching it would look like, in Sam's words. */
class GoalLevelsTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `Sam gives a goal a date and describes what reaching it would look like`() {
        openStore(dir).use { store ->
            runApp(store) { state ->
                show(state, Screen.Journey, Screen.AddGoal, Stage.Goals)
                onNodeWithTag("field:text").performTextInput("Walk three times a week")
                tapText(state, strings.count(S.goal_in_months_one, S.goal_in_months_other, 3))
                onNodeWithTag("field:attainment_levels[2].description").performScrollTo().performTextInput("Three walks most weeks")
                onNodeWithTag("field:attainment_levels[4].description").performScrollTo().performTextInput("Walking every day")
                tap(state, "save")
                val goal = store.journey().goals.single()
                assertEquals(LocalDate.now(London).plusMonths(3).toString(), goal.targetDate)
                assertEquals(listOf(0 to "Three walks most weeks", 2 to "Walking every day"), goal.attainmentLevels.map { it.level to it.description })
                show(state, Screen.Journey, Screen.Goal(goal.id), Stage.Goals)
                onNodeWithText(strings.format(S.goal_target, strings.longDate(LocalDate.now(London).plusMonths(3)))).assertExists()
                onNodeWithText(strings.attainment(2) + ": Walking every day").assertExists()
            }
        }
    }
}
