import HeraldModel
import HeraldWire
import NIOCore

/// A protocol session over a `SessionCore`: the inputs every protocol hands straight to the core, and renders
/// the core's answer to, are written once here. A session implements `render` (its own words for the core's
/// replies) and the inputs it reads itself (its messages, its start).
public protocol CoreBackedSession: ProtocolSession {
    var core: SessionCore { get set }
    /// The core's actions in this protocol's terms.
    mutating func render(_ actions: [SessionAction]) -> [ConnectionAction]
}

extension CoreBackedSession {
    public var isClosed: Bool { core.phase == .closed }
    public var nextWakeup: NIODeadline { core.nextWakeup }

    public mutating func heard(now: SessionInstant) {
        core.heard(now: now.deadline)
    }

    public mutating func connectVerdict(_ verdict: Result<Principal, WireFailure>, now: SessionInstant)
        -> [ConnectionAction]
    {
        render(core.connectVerdict(verdict, serverTime: now.wallMilliseconds))
    }

    public mutating func subscribeVerdict(channel: String, _ verdict: Result<Void, WireFailure>) -> [ConnectionAction] {
        render(core.subscribeVerdict(channel: channel, verdict))
    }

    public mutating func joined(channel: String, position: ChannelPosition?, recovery: RecoveryOutcome?)
        -> [ConnectionAction]
    {
        render(core.joined(channel: channel, position: position, recovery: recovery))
    }

    public mutating func joinFailed(channel: String, code: ErrorCode, message: String) -> [ConnectionAction] {
        render(core.joinFailed(channel: channel, code: code, message: message))
    }

    public mutating func tick(now: SessionInstant) -> [ConnectionAction] {
        render(core.tick(now: now.deadline))
    }

    public mutating func closeReceived(code: UInt16?) -> [ConnectionAction] {
        render(core.closeReceived(code: code))
    }

    public mutating func terminate(_ code: CloseCode, reason: String) -> [ConnectionAction] {
        render(core.terminate(code, reason: reason))
    }

    public mutating func released() -> [ConnectionAction] {
        render(core.released())
    }
}
