package org.tandem.app

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxHeight
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.graphics.Path
import androidx.compose.ui.graphics.PathEffect
import androidx.compose.ui.graphics.drawscope.Stroke
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.unit.dp

// The pictures of Insights, drawn with Compose's Canvas: no chart library for Compose
// Multiplatform resolves from Maven Central here (see android/README.md). Each picture also says
// its figures in words (beside it, and as its content description), so nothing rests on colour
// or on seeing the drawing.

/**
 * A horizontal bar: [done] filled in the primary colour and [partly] in a lighter, striped
 * shade after it, out of a whole of 1. Described as [description].
 */
@Composable
fun CompletionBar(done: Float, partly: Float, description: String, modifier: Modifier = Modifier) {
    val colors = MaterialTheme.colorScheme
    val track = colors.surfaceVariant
    val full = colors.primary
    val half = colors.primary.copy(alpha = 0.45f)
    Box(
        modifier
            .fillMaxWidth()
            .height(20.dp)
            .clip(RoundedCornerShape(6.dp))
            .background(track)
            .clearAndSetSemantics { contentDescription = description },
    ) {
        Canvas(Modifier.fillMaxWidth().fillMaxHeight()) {
            val doneWidth = size.width * done.coerceIn(0f, 1f)
            val partlyWidth = size.width * partly.coerceIn(0f, 1f - done.coerceIn(0f, 1f))
            drawRect(full, size = size.copy(width = doneWidth))
            if (partlyWidth > 0f) {
                drawRect(half, topLeft = Offset(doneWidth, 0f), size = size.copy(width = partlyWidth))
                // Stripes, so "partly" differs from "done" without colour.
                var x = doneWidth
                while (x < doneWidth + partlyWidth) {
                    drawLine(full, Offset(x, size.height), Offset(minOf(x + size.height, doneWidth + partlyWidth), 0f), strokeWidth = 2f)
                    x += 8.dp.toPx()
                }
            }
        }
    }
}

/** A bar for a count out of the largest count shown. */
@Composable
fun CountBar(count: Int, largest: Int, description: String) {
    CompletionBar(if (largest == 0) 0f else count.toFloat() / largest, 0f, description)
}

/**
 * A line through rating [points] (oldest first) on a scale from [low] to [high], its ends
 * labelled [lowLabel] and [highLabel] and its middle dashed. Described as [description].
 */
@Composable
fun TrendLine(points: List<Double>, low: Double, high: Double, lowLabel: String, highLabel: String, description: String, tag: String) {
    val colors = MaterialTheme.colorScheme
    val line = colors.primary
    val grid = colors.outlineVariant
    Row(
        horizontalArrangement = Arrangement.spacedBy(8.dp),
        // Taller with large text, so the scale's labels leave the line its room.
        modifier = Modifier.fillMaxWidth().height(120.dp * LocalDensity.current.fontScale.coerceAtLeast(1f))
            .testTag(tag).clearAndSetSemantics { contentDescription = description },
    ) {
        Column(Modifier.fillMaxHeight(), verticalArrangement = Arrangement.SpaceBetween) {
            Text(highLabel, style = FigureStyle, color = colors.onSurfaceVariant)
            Text(lowLabel, style = FigureStyle, color = colors.onSurfaceVariant)
        }
        Canvas(Modifier.weight(1f).fillMaxHeight().padding(vertical = 10.dp)) {
            val dash = PathEffect.dashPathEffect(floatArrayOf(6f, 6f))
            listOf(0f, 0.5f, 1f).forEach { f ->
                drawLine(grid, Offset(0f, size.height * f), Offset(size.width, size.height * f), strokeWidth = 1.5f, pathEffect = if (f == 0.5f) dash else null)
            }
            fun at(i: Int, v: Double): Offset {
                val x = if (points.size == 1) size.width / 2 else size.width * i / (points.size - 1)
                val y = size.height * (1 - ((v - low) / (high - low)).toFloat().coerceIn(0f, 1f))
                return Offset(x, y)
            }
            val path = Path()
            points.forEachIndexed { i, v -> at(i, v).let { if (i == 0) path.moveTo(it.x, it.y) else path.lineTo(it.x, it.y) } }
            drawPath(path, line, style = Stroke(width = 3.dp.toPx()))
            points.forEachIndexed { i, v -> drawCircle(line, radius = 5.dp.toPx(), center = at(i, v)) }
        }
    }
}
