import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore

/// Socket.IO v4 (Engine.IO 4, Socket.IO protocol 5) at `/socket.io/`, as `socket.io-client` and
/// python-socketio speak it: namespaces `/` and `/rooms/{roomId}`, `auth: {token}` on CONNECT, acknowledgements
/// both ways, and the event vocabulary of docs/socketio.md. Binary packets are refused.
public struct SocketIOProtocol: ClientProtocol {
    public static let path = "/socket.io"
    /// The Engine.IO protocol version spoken.
    public static let engineVersion = "4"

    public init() {}

    public var name: String { "socket.io" }

    /// Lane 0: the main namespace (`42[…]`); lane 1: a room's namespace (`42/rooms/{roomId},[…]`), for
    /// connections that joined `room.{roomId}` by connecting to that namespace.
    public var deliveryEncoders: [any DeliveryEncoder] {
        [SocketDeliveryEncoder(style: .main), SocketDeliveryEncoder(style: .roomNamespace)]
    }

    public func serves(path: String) -> Bool { path == Self.path }

    public func admit(_ request: ConnectionRequest) -> Admission {
        if let refusal = Self.engineRefusal(request, transport: "websocket") { return .refuse(refusal) }
        return .upgrade(token: nil)
    }

    /// Why a request is not an Engine.IO 4 request for `transport`, or nil.
    static func engineRefusal(_ request: ConnectionRequest, transport: String) -> UpgradeRefusal? {
        guard request.queryValue(named: "EIO") == engineVersion else {
            return UpgradeRefusal(
                .invalidPayload, "unsupported Engine.IO version: connect with EIO=4 (socket.io-client 3 or later)")
        }
        guard request.queryValue(named: "transport") == transport else {
            return UpgradeRefusal(.invalidPayload, "transport must be \(transport) here")
        }
        return nil
    }

    public func makeSession(_ context: SessionContext) -> any ProtocolSession {
        SocketIOSession(context)
    }

    /// A full edge answers the CONNECT with a `connect_error` whose message starts with `CONNECTION_LIMIT`.
    public var refusesInBand: Bool { true }

    /// HTTP long-polling, the transport socket.io-client starts with before it upgrades to WebSocket.
    public var longPolling: (any LongPollingStyle)? { EnginePollingStyle() }
}

/// Socket.IO deliveries, encoded once per event for every connection of the lane. A batch is its events'
/// packets, each exactly as delivered alone and each its own WebSocket frame, one after the other in one buffer
/// (the default `frames(for:)`); over long-polling they become consecutive packets of one GET's answer.
public struct SocketDeliveryEncoder: DeliveryEncoder {
    public enum Style: Sendable, Hashable {
        /// `42["event",data,meta]` in the main namespace.
        case main
        /// `42/rooms/{roomId},["event",data,meta]` for an event on `room.{roomId}`.
        case roomNamespace
    }

    public let style: Style

    public init(style: Style) { self.style = style }

    public func frame(for event: WireEvent, allocator: ByteBufferAllocator) -> ByteBuffer {
        let namespace: SocketNamespace
        switch style {
        case .main: namespace = .main
        case .roomNamespace: namespace = SocketRooms.namespace(ofChannel: event.channels.first ?? "") ?? .main
        }
        return ServerFrame.text(allocator: allocator, payloadCapacity: 200 + event.data.readableBytes) {
            $0.writeSocketDelivery(event, namespace: namespace)
        }
    }
}

/// Rooms: the namespace `/rooms/{roomId}` and the channel `room.{roomId}` name the same room.
public enum SocketRooms {
    static let namespacePrefix = "/rooms/"
    static let channelPrefix = "room."

    /// The room id a namespace names, or nil for any other namespace.
    public static func roomID(of namespace: SocketNamespace) -> String? {
        guard namespace.path.hasPrefix(namespacePrefix) else { return nil }
        let id = namespace.path.dropFirst(namespacePrefix.count)
        return id.isEmpty || id.contains("/") ? nil : String(id)
    }

    public static func channel(ofRoom roomID: String) -> String { channelPrefix + roomID }

    public static func namespace(ofChannel channel: String) -> SocketNamespace? {
        guard channel.hasPrefix(channelPrefix) else { return nil }
        return SocketNamespace(namespacePrefix + channel.dropFirst(channelPrefix.count))
    }
}
