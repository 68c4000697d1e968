package org.tandem.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import java.util.Locale

/**
 * The safety notice: Tandem is not monitored and not an emergency service; who sees what, and
 * when; and where to get help now. Shown on first run and one tap away ("Get help now") after.
 */
@Composable
fun SafetyScreen(crisisLines: CrisisLines, onCall: (CrisisLine) -> Unit, onClose: () -> Unit) {
    val s = LocalStrings.current
    var showElsewhere by remember { mutableStateOf(false) }
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(20.dp).testTag("safety"),
    ) {
        Text(s[S.safety_title], style = MaterialTheme.typography.headlineMedium, modifier = Modifier.semantics { heading() })
        Card(
            colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.tertiaryContainer),
            modifier = Modifier.fillMaxWidth(),
        ) {
            Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                Text(
                    s[S.safety_not_monitored],
                    style = MaterialTheme.typography.titleMedium,
                    color = MaterialTheme.colorScheme.onTertiaryContainer,
                )
                Text(s[S.safety_who_sees], style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.onTertiaryContainer)
            }
        }
        Text(s[S.safety_help_now], style = MaterialTheme.typography.titleMedium, fontWeight = FontWeight.Bold)
        crisisLines.here.forEach { CrisisLineCard(it, onCall) }
        if (crisisLines.elsewhere.isNotEmpty()) {
            QuietButton(
                if (showElsewhere) s[S.safety_hide_elsewhere] else s[S.safety_show_elsewhere],
                onClick = { showElsewhere = !showElsewhere },
            )
            if (showElsewhere) {
                crisisLines.elsewhere.forEach { (region, lines) ->
                    Heading(Locale("", region).getDisplayCountry(s.locale))
                    lines.forEach { CrisisLineCard(it, onCall) }
                }
            }
        }
        MainButton(s[S.safety_close], onClick = onClose, modifier = Modifier.padding(top = 8.dp).testTag("safety-close"))
    }
}

@Composable
private fun CrisisLineCard(line: CrisisLine, onCall: (CrisisLine) -> Unit) {
    val s = LocalStrings.current
    ItemCard {
        Text(line.name, style = MaterialTheme.typography.titleMedium)
        if (line.note != null) Detail(line.note)
        Button(
            onClick = { onCall(line) },
            colors = ButtonDefaults.buttonColors(),
            modifier = Modifier.heightIn(min = TouchTarget).semantics { contentDescription = s.format(S.safety_call, line.number, line.name) },
        ) {
            Text(s.format(S.safety_call_short, line.number), style = MaterialTheme.typography.titleMedium)
        }
    }
}
