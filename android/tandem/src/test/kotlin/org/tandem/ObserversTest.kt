package org.tandem

import java.nio.file.Path
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.tandem_ffi.ChangeObserver
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.ValueInput

/** A screen follows the store: it hears each edit, and stops hearing once it goes away. */
class ObserversTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `the changes flow emits Edit after an edit, and ends when its collector is cancelled`() = runBlocking {
        dir.openStore("sam").use { sam ->
            val heard = Channel<StoreChange>(Channel.UNLIMITED)
            val screen = launch(start = CoroutineStart.UNDISPATCHED) { sam.changes().collect { heard.send(it) } }
            yield() // the flow subscribes

            sam.addValue(ValueInput("Being there for my kids", LifeArea.FAMILY, 9))
            assertEquals(StoreChange.Edit, withTimeout(5.seconds) { heard.receive() })

            sam.addValue(ValueInput("Feeling strong", LifeArea.HEALTH, 8))
            assertEquals(StoreChange.Edit, withTimeout(5.seconds) { heard.receive() })

            // Cancelling returns once the flow has cancelled its subscription (awaitClose);
            // the next test shows a cancelled subscription is not called again.
            withTimeout(5.seconds) { screen.cancelAndJoin() }
            assertTrue(screen.isCancelled)
        }
    }

    @Test
    fun `a cancelled subscription stops calling its observer`() = runBlocking {
        dir.openStore("sam").use { sam ->
            val calls = AtomicInteger()
            val subscription = sam.subscribeChanges(
                object : ChangeObserver {
                    override fun onChange(local: Boolean) {
                        calls.incrementAndGet()
                    }
                },
            )
            sam.addValue(ValueInput("Being there for my kids", LifeArea.FAMILY, 9))
            withTimeout(5.seconds) { while (calls.get() == 0) delay(10) }
            assertEquals(1, calls.get())

            subscription.cancel()
            subscription.close()
            sam.addValue(ValueInput("Feeling strong", LifeArea.HEALTH, 8))
            delay(500)
            assertEquals(1, calls.get(), "no call after cancel")
        }
    }
}
