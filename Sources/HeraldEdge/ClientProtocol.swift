import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

/// One way of speaking to clients: which upgrade requests it serves, how it admits them, the session that
/// speaks it on each connection, and how it encodes deliveries.
///
/// The edge's transports (WebSocket, and long-polling where a protocol offers it), its fan-out and its
/// authorizer link are shared by every protocol; a protocol is a codec and a small state machine over
/// `SessionCore`, so a new one is one more module.
public protocol ClientProtocol: Sendable {
    /// A short name for logs and statistics (`native`, `socket.io`, `pusher`).
    var name: String { get }
    /// How deliveries are encoded for this protocol's connections: each encoder is a `DeliveryLane` of the
    /// edge, and each event is encoded once per lane that has subscribers, whatever their number.
    var deliveryEncoders: [any DeliveryEncoder] { get }
    /// Whether a request for `path` (without its query) speaks this protocol.
    func serves(path: String) -> Bool
    /// Decides a WebSocket upgrade request before it is accepted (the edge has checked origin and capacity).
    func admit(_ request: ConnectionRequest) -> Admission
    /// The session for a new connection.
    func makeSession(_ context: SessionContext) -> any ProtocolSession
    /// The long-polling transport this protocol offers beside WebSocket, if any.
    var longPolling: (any LongPollingStyle)? { get }
    /// Whether a full edge upgrades the connection anyway and lets the session refuse it in the protocol's own
    /// words (`SessionContext.overCapacity`), because its clients understand nothing else; otherwise the
    /// upgrade is refused with HTTP 429.
    var refusesInBand: Bool { get }
}

extension ClientProtocol {
    public var longPolling: (any LongPollingStyle)? { nil }
    public var refusesInBand: Bool { false }
}

/// A protocol's verdict on an upgrade request.
public enum Admission: Sendable, Hashable {
    /// Upgrade; the token, when there is one, is checked with the authorizer first and a bad one refused with 401.
    case upgrade(token: String?)
    /// Answer with the refusal's status and JSON body instead of upgrading.
    case refuse(UpgradeRefusal)
}

/// Encodes one delivered event into a complete WebSocket text frame, once for every connection of its lane.
public protocol DeliveryEncoder: Sendable {
    func frame(for event: WireEvent, allocator: ByteBufferAllocator) -> ByteBuffer
    /// The events of one batch (a batcher window's flush on one channel), in order, as one buffer that a
    /// connection gets in one write: one or more complete WebSocket frames. By default each event's `frame(for:)`,
    /// one after the other; a protocol with a batch message of its own writes a single frame.
    func frames(for batch: [WireEvent], allocator: ByteBufferAllocator) -> ByteBuffer
    /// The frame telling a presence channel's subscribers of this lane about a member's arrival or departure
    /// (anywhere: the batcher's `presence-change`); nil when the lane's clients are not told.
    func presenceFrame(_ notice: StageRequests.PresenceNotice, allocator: ByteBufferAllocator) -> ByteBuffer?
}

extension DeliveryEncoder {
    public func frames(for batch: [WireEvent], allocator: ByteBufferAllocator) -> ByteBuffer {
        ServerFrame.joined(batch.map { frame(for: $0, allocator: allocator) }, allocator: allocator)
    }

    public func presenceFrame(_ notice: StageRequests.PresenceNotice, allocator: ByteBufferAllocator) -> ByteBuffer? {
        nil
    }
}

/// Index of a `DeliveryEncoder` among all the edge's protocols' encoders: which of a delivery's frames a
/// subscription takes.
public struct DeliveryLane: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (lhs: DeliveryLane, rhs: DeliveryLane) -> Bool { lhs.index < rhs.index }
    public var description: String { String(index) }
}

/// What a protocol's session starts from.
public struct SessionContext: Sendable {
    /// The connection's id, in Pusher's `socket_id` form.
    public var connectionID: String
    public var request: ConnectionRequest
    /// The principal behind a token the upgrade request carried, already verified.
    public var principal: Principal?
    public var settings: EdgeSettings
    /// This protocol's lanes, in the order of its `deliveryEncoders`.
    public var lanes: [DeliveryLane]
    public var now: SessionInstant
    /// Set when the edge holds its maximum of connections: the session refuses the connection with this
    /// message, in its protocol's way, and closes it.
    public var overCapacity: String?

    public init(
        connectionID: String, request: ConnectionRequest, principal: Principal?, settings: EdgeSettings,
        lanes: [DeliveryLane], now: SessionInstant, overCapacity: String? = nil
    ) {
        self.overCapacity = overCapacity
        self.connectionID = connectionID
        self.request = request
        self.principal = principal
        self.settings = settings
        self.lanes = lanes
        self.now = now
    }
}

/// The time as a session sees it: a monotonic deadline for timers and the wall clock for what clients are told.
public struct SessionInstant: Sendable, Hashable {
    public var deadline: NIODeadline
    /// Milliseconds since the Unix epoch.
    public var wallMilliseconds: Int64

    public init(deadline: NIODeadline, wallMilliseconds: Int64) {
        self.deadline = deadline
        self.wallMilliseconds = wallMilliseconds
    }

    public static func now() -> SessionInstant {
        SessionInstant(deadline: .now(), wallMilliseconds: Clock.wallMilliseconds())
    }
}
