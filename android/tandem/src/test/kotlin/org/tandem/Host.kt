package org.tandem

import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.time.DayOfWeek
import java.time.LocalDate
import java.time.ZoneId
import java.time.temporal.TemporalAdjusters
import java.util.concurrent.TimeUnit
import kotlin.test.fail
import uniffi.tandem_ffi.TandemStore

/** Where the host build put libtandem_ffi and tandem-server (surefire passes it from the pom). */
object Host {
    val libDir: Path = Paths.get(System.getProperty("tandem.test.lib.dir") ?: "../target/debug").toAbsolutePath()

    /** Fails with what to do when the library is missing (JNA's own message is vaguer). */
    fun requireLibrary() {
        val names = listOf("libtandem_ffi.so", "libtandem_ffi.dylib", "tandem_ffi.dll")
        if (names.none { Files.exists(libDir.resolve(it)) }) {
            fail("no tandem_ffi library in $libDir: run scripts/bindings, or pass -Dtandem.lib.dir=<cargo target>/debug")
        }
    }
}

/** Opens (creating) the store `<name>.db` in this folder, its journey in London time. */
suspend fun Path.openStore(name: String): TandemStore {
    Host.requireLibrary()
    return TandemStore.open(resolve("$name.db"), London)
}

/** Sam's and Alex's time zone in these tests. */
val London: ZoneId = ZoneId.of("Europe/London")

/** The Monday of the week [weeksAgo] weeks before this one, in London. */
fun mondayWeeksAgo(weeksAgo: Long): LocalDate =
    LocalDate.now(London).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(weeksAgo)

/**
 * A real `tandem-server` process on 127.0.0.1 and a free port, with its own data directory.
 * Close it to stop the process.
 */
class TandemServer private constructor(
    private val process: Process,
    private val dataDir: Path,
    private val log: File,
    /** Its base URL, e.g. `http://127.0.0.1:41234`. */
    val url: String,
) : AutoCloseable {

    /** A one-time code that enrols a practitioner (or a coach), as the operator makes one. */
    fun enrolmentCode(role: String): String {
        val enrol = ProcessBuilder(binary.toString(), "enrol", "--role", role, "--data-dir", dataDir.toString())
            .redirectError(ProcessBuilder.Redirect.appendTo(log))
            .start()
        val code = enrol.inputStream.bufferedReader().readText().trim()
        check(enrol.waitFor(30, TimeUnit.SECONDS) && enrol.exitValue() == 0) {
            "tandem-server enrol failed:\n${log.readText()}"
        }
        return code
    }

    /**
     * Runs an operator's command on the server's data while it serves (`tandem-server <args>
     * --data-dir <its data>`, e.g. `deactivate --person ...`); what it printed to stderr.
     */
    fun operator(vararg args: String): String {
        val err = dataDir.resolve("operator.log").toFile()
        val run = ProcessBuilder(binary.toString(), *args, "--data-dir", dataDir.toString())
            .redirectError(err)
            .start()
        run.inputStream.readBytes()
        check(run.waitFor(30, TimeUnit.SECONDS) && run.exitValue() == 0) {
            "tandem-server ${args.joinToString(" ")} failed:\n${err.readText()}"
        }
        return err.readText()
    }

    /** What the server logged (for a failing test's message). */
    fun log(): String = log.readText()

    override fun close() {
        process.destroy() // SIGTERM: the server stops cleanly
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor()
        }
    }

    companion object {
        val binary: Path = Host.libDir.resolve("tandem-server")

        fun start(dataDir: Path): TandemServer {
            check(Files.isExecutable(binary)) {
                "no $binary: build it with `cargo build -p tandem-server` (scripts/test does)"
            }
            val log = dataDir.resolve("server.log").toFile()
            val process = ProcessBuilder(
                binary.toString(), "--data-dir", dataDir.toString(), "--bind", "127.0.0.1", "--port", "0",
            )
                .redirectError(ProcessBuilder.Redirect.appendTo(log))
                .start()
            try {
                val url = readUrl(process, log)
                return TandemServer(process, dataDir, log, url)
            } catch (e: Throwable) {
                process.destroyForcibly().waitFor()
                throw e
            }
        }

        /** Waits for `listening on URL` on the server's stdout, then keeps draining it. */
        private fun readUrl(process: Process, log: File): String {
            val lines = process.inputStream.bufferedReader()
            val found = java.util.concurrent.CompletableFuture<String>()
            Thread({
                lines.forEachLine { line ->
                    if (!found.isDone && line.startsWith("listening on ")) {
                        found.complete(line.removePrefix("listening on ").trim())
                    }
                }
                if (!found.isDone) {
                    found.completeExceptionally(IllegalStateException("tandem-server stopped:\n${log.readText()}"))
                }
            }, "tandem-server stdout").apply { isDaemon = true }.start()
            return try {
                found.get(30, TimeUnit.SECONDS)
            } catch (e: java.util.concurrent.ExecutionException) {
                throw e.cause ?: e
            }
        }
    }
}
