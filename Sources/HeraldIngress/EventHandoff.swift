import HeraldDaemonKit
import HeraldModel
import HeraldWire
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Hands published events to the authorizer and says whether it took them: the future succeeds only when the
/// authorizer acknowledged every event (took responsibility for it, docs/wire-protocol.md), which is when
/// ingress may answer 202.
///
/// An event the authorizer refuses (`refused` frame) fails with its code, message and retry delay; one the
/// link cannot hold (resend buffer full) fails at once. One that is not acknowledged within
/// `timeout` is withdrawn from the link so it is never delivered behind the publisher's back; if the
/// acknowledgement raced the timeout, withdrawing is refused and the event counts as accepted.
public final class EventHandoff: Sendable {
    public let link: UpstreamLink
    private let counters: NIOLockedValueBox<IngressCounters>

    public init(link: UpstreamLink, counters: NIOLockedValueBox<IngressCounters>) {
        self.link = link
        self.counters = counters
    }

    /// Succeeds when the authorizer acknowledged every event. Fails with the authorizer's refusal when it
    /// refused one (`RATE_LIMIT_EXCEEDED` with its retry delay, `PERMISSION_DENIED`), and with `UNAVAILABLE`
    /// when it could not be reached; for a batch the message says how many were not taken.
    public func deliver(_ events: [WireEvent], timeout: Duration) -> EventLoopFuture<Void> {
        let loop = link.loop
        let outcomes = events.map { deliver($0, timeout: timeout) }
        return EventLoopFuture.whenAllComplete(outcomes, on: loop).flatMapThrowing { results in
            var failures: [HeraldError] = []
            for case .failure(let error) in results {
                failures.append(error as? HeraldError ?? HeraldError(.unavailable, "\(error)"))
            }
            self.counters.withLockedValue {
                $0.eventsAccepted += results.count - failures.count
                $0.eventsRefused += failures.count
            }
            guard let first = Self.decisive(failures) else { return }
            guard events.count > 1 else { throw first }
            let accepted = events.count - failures.count
            let advice =
                accepted == 0
                ? "none was published; retry later"
                : "the other \(accepted) were accepted. Resend the batch with the same \"id\" on every event: ids "
                    + "already accepted are dropped as duplicates"
            throw HeraldError(
                first.code, "\(failures.count) of \(events.count) events were not taken (\(first.message)); \(advice)",
                retryAfter: failures.compactMap(\.retryAfter).max())
        }
    }

    /// The failure a batch is answered with: a refusal the authorizer decided (a limit, a permission) says
    /// more than an unreachable stage, since retrying at once will not help.
    private static func decisive(_ failures: [HeraldError]) -> HeraldError? {
        failures.first { $0.code != .unavailable } ?? failures.first
    }

    private func deliver(_ event: WireEvent, timeout: Duration) -> EventLoopFuture<Void> {
        let id = event.id
        let link = self.link
        let timedOut = NIOLockedValueBox(false)
        let acknowledged = link.send(event)
        let timer = link.loop.scheduleTask(in: TimeAmount(timeout)) {
            // Withdrawing fails the send future itself; when it is refused, the acknowledgement came first.
            timedOut.withLockedValue { $0 = true }
            _ = link.withdraw(id)
        }
        acknowledged.whenComplete { _ in timer.cancel() }
        return acknowledged.flatMapErrorThrowing { error in
            guard timedOut.withLockedValue({ $0 }) else { throw error }
            throw HeraldError(
                .unavailable,
                "the authorizer did not take the event within \(timeout.components.seconds) s; it was not published, "
                    + "retry later")
        }
    }
}
