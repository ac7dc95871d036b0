/// The kind of an Engine.IO v4 packet, sent as a single ASCII digit before its data.
public enum EnginePacketType: UInt8, Sendable, Hashable, CaseIterable {
    /// Server to client, once: the handshake (`0{"sid":…}`).
    case open = 0
    /// Either side: the transport is about to close.
    case close = 1
    /// Server to client every `pingInterval`; also `2probe` from the client while upgrading.
    case ping = 2
    /// The answer to a ping (`3`, or `3probe` during an upgrade).
    case pong = 3
    /// Carries one Socket.IO packet (`42["event",…]`).
    case message = 4
    /// Client to server: switch from polling to the WebSocket that was just probed.
    case upgrade = 5
    /// Server to client: releases a pending poll during an upgrade.
    case noop = 6

    /// The ASCII digit that starts the packet on the wire.
    public var digit: UInt8 { UInt8(ascii: "0") + rawValue }

    /// The type whose digit is `byte`, if any.
    public init?(digit byte: UInt8) {
        guard byte >= UInt8(ascii: "0") else { return nil }
        self.init(rawValue: byte - UInt8(ascii: "0"))
    }
}
