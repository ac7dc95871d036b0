import HeraldModel

/// Everything stages say to each other. On the wire each message is one JSON object whose first member is
/// `"type"`; see docs/wire-protocol.md for the exact shapes.
public enum WireMessage: Sendable, Hashable {
    /// First frame on every connection, each way.
    case hello(Hello)
    /// An event handed downstream (ingress → authorizer → batcher). The sender keeps it until `settled`.
    case event(WireEvent)
    /// Several events handed downstream in one frame, oldest first: a sender packs the events of one event-loop
    /// tick together, so under load a stage reads and writes one frame per batch instead of one per event. Each
    /// event is acknowledged and settled exactly as if it had come in its own `event` frame.
    case events([WireEvent])
    /// The receiver now holds these events (has taken responsibility for them).
    case ack([EventID])
    /// These events are published to the edges or the engine; the sender may forget them.
    case settled([EventID])
    /// The receiver will not take this event (a limit or a permission refused it); the sender forgets it.
    case refused(EventRefusal)
    /// A call that gets exactly one `response`: the edge's authorization checks and its channel interest.
    case request(Request)
    case response(Response)
    /// A one-way message that gets no answer (`presence-change`, `presence-leave`).
    case notice(Notice)
    /// The peer sent something unacceptable; the connection is closed after this frame.
    case error(WireFailure)
    /// One event on one channel, with its offset and epoch (batcher → edge).
    case deliver(WireEvent)
    /// Events of one channel flushed together from a priority window, each with its offset, epoch and sequence
    /// (batcher → edge): clients get them as one frame.
    case batch([WireEvent])

    /// The value of the message's `"type"` member.
    public var type: String {
        switch self {
        case .hello: "hello"
        case .event: "event"
        case .events: "events"
        case .ack: "ack"
        case .settled: "settled"
        case .refused: "refused"
        case .request: "request"
        case .response: "response"
        case .notice: "notice"
        case .error: "error"
        case .deliver: "deliver"
        case .batch: "batch"
        }
    }
}
