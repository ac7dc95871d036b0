import HeraldWire
import NIOCore

extension ByteBuffer {
    /// Writes the complete open packet for `handshake`: `0` and its JSON object. Returns the number of bytes
    /// written.
    @discardableResult
    public mutating func writeEngineOpenPacket(_ handshake: EngineHandshake) -> Int {
        let start = writerIndex
        writeStaticString(#"0{"sid":"#)
        writeJSONString(handshake.sid)
        writeStaticString(#","upgrades":["#)
        for (index, upgrade) in handshake.upgrades.enumerated() {
            if index > 0 { writeInteger(UInt8(ascii: ",")) }
            writeJSONString(upgrade)
        }
        writeStaticString(#"],"pingInterval":"#)
        writeJSONNumber(handshake.pingInterval.wholeMilliseconds)
        writeStaticString(#","pingTimeout":"#)
        writeJSONNumber(handshake.pingTimeout.wholeMilliseconds)
        writeStaticString(#","maxPayload":"#)
        writeJSONNumber(handshake.maxPayload)
        writeStaticString("}")
        return writerIndex - start
    }
}
