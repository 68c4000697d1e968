// Swift concurrency over the generated bindings: observers as AsyncStreams.
//
// Everything else is used as generated: `try TandemStore(path:timeZone:)`, plain methods for
// edits and reads (quick: one durable write, or memory), `async throws` for the network calls
// (`enrol`, `invite`, `join`, `share`, `revoke`, `syncNow`, `compact`). Errors are
// `TandemError` cases (`.InvalidInput(field:problem:)`, `.NotFound(what:)` ...).

import Foundation

/// A change to a store, as `TandemStore.changes()` reports it.
public enum StoreChange: Sendable, Equatable {
    /// An edit made on this device.
    case local
    /// A sync session ended; it may have brought edits made elsewhere.
    case synced
}

extension TandemStore {
    /// Every change to the store from now on, to reload what a screen shows:
    ///
    ///     for await change in try store.changes() { await reload() }
    ///
    /// A consumer that falls behind gets the latest change only. The subscription ends when
    /// the stream ends: when the loop stops or its task is cancelled.
    public func changes() throws -> AsyncStream<StoreChange> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: StoreChange.self, bufferingPolicy: .bufferingNewest(1))
        let subscription = try subscribeChanges(observer: ChangeRelay(continuation))
        continuation.onTermination = { _ in subscription.cancel() }
        return stream
    }
}

extension SyncService {
    /// Where sync stands now, then every change, until the stream ends or the service stops.
    /// A consumer that falls behind gets the latest status only.
    public func statuses() throws -> AsyncStream<SyncStatus> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: SyncStatus.self, bufferingPolicy: .bufferingNewest(1))
        let subscription = try subscribeStatus(observer: StatusRelay(continuation))
        continuation.onTermination = { _ in subscription.cancel() }
        return stream
    }
}

/// Hands each change, on Tandem's thread, to the stream.
private final class ChangeRelay: ChangeObserver {
    private let continuation: AsyncStream<StoreChange>.Continuation

    init(_ continuation: AsyncStream<StoreChange>.Continuation) {
        self.continuation = continuation
    }

    func onChange(local: Bool) {
        continuation.yield(local ? .local : .synced)
    }
}

/// Hands each status, on Tandem's thread, to the stream.
private final class StatusRelay: SyncStatusObserver {
    private let continuation: AsyncStream<SyncStatus>.Continuation

    init(_ continuation: AsyncStream<SyncStatus>.Continuation) {
        self.continuation = continuation
    }

    func onStatus(status: SyncStatus) {
        continuation.yield(status)
    }
}
