package org.tandem.app

import kotlinx.coroutines.runBlocking
import org.tandem.TandemServer
import uniffi.tandem_ffi.InvitationKind
import uniffi.tandem_ffi.RelationshipKind
import uniffi.tandem_ffi.TandemStore

/**
 * Priya, a coach, and Alex, a practitioner she coaches, on [server]: enrolled, named ("Priya",
 * "Alex"), linked by Priya's code and synced. Returns their coaching document's id.
 */
fun coaching(server: TandemServer, priya: TandemStore, alex: TandemStore): String {
    runBlocking {
        priya.enrol(server.url, server.enrolmentCode("coach"))
        priya.setMyName("Priya")
        alex.enrol(server.url, server.enrolmentCode("practitioner"))
        alex.setMyName("Alex")
        alex.join(server.url, priya.invite(InvitationKind.PRACTITIONER).code)
        alex.syncNow()
        priya.syncNow()
    }
    return alex.coaching().use { c -> c.relationships().single { it.kind == RelationshipKind.COACHING }.docId }
}
