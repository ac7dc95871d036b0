import HeraldEdge
import NIOCore

/// Engine.IO's long-polling transport (`transport=polling`): sessions named by `sid`, packets joined by the
/// record separator, and the probe (`2probe` → `3probe`) and upgrade (`5`) that move a session to WebSocket.
public struct EnginePollingStyle: LongPollingStyle {
    public init() {}

    public func sessionID(of request: ConnectionRequest) -> String? {
        request.queryValue(named: "sid")
    }

    public func refusal(of request: ConnectionRequest) -> UpgradeRefusal? {
        SocketIOProtocol.engineRefusal(request, transport: "polling")
    }

    public func messages(in body: ByteBuffer, limit: Int) throws -> [ByteBuffer] {
        try EnginePayload.decode(body, maxPayload: limit).map { packet in
            var text = ByteBuffer()
            text.writeEnginePacket(packet)
            return text
        }
    }

    public func body(joining messages: [ByteBuffer]) -> ByteBuffer {
        var body = ByteBuffer()
        body.writeEnginePayload(encoded: messages)
        return body
    }

    public var noop: ByteBuffer { ByteBuffer(string: "6") }

    public var close: ByteBuffer { ByteBuffer(string: "1") }

    public func probeAnswer(to message: ByteBuffer) -> ByteBuffer? {
        message.readableBytesView.elementsEqual("2probe".utf8) ? ByteBuffer(string: "3probe") : nil
    }

    public func completesUpgrade(_ message: ByteBuffer) -> Bool {
        message.readableBytesView.elementsEqual("5".utf8)
    }

    public var unknownSession: ByteBuffer { ByteBuffer(string: #"{"code":1,"message":"Session ID unknown"}"#) }
}
