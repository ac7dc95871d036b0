import HeraldModel
import NIOCore

extension ByteBuffer {
    /// Appends one frame: the 4-byte big-endian length, then `message` as JSON, encoded straight into this
    /// buffer (the length is reserved first and filled in afterwards). Call it repeatedly to pack many frames
    /// into one buffer and write them with one flush. Returns the number of bytes appended, length included.
    ///
    /// Receivers refuse payloads over `WireProtocol.maximumFrameBytes`; `WireMessageEncoder` checks that for
    /// you, callers packing frames themselves should compare the result against it.
    @discardableResult
    public mutating func writeWireFrame(_ message: WireMessage) -> Int {
        writeLengthPrefixed { $0.writeWireJSON(message) }
    }

    /// Appends one frame whose payload `writePayload` writes: the length is reserved first and filled in
    /// afterwards. Returns the number of bytes appended, length included.
    @discardableResult
    mutating func writeLengthPrefixed(_ writePayload: (inout ByteBuffer) -> Void) -> Int {
        let lengthIndex = writerIndex
        writeInteger(UInt32(0))
        let payloadStart = writerIndex
        writePayload(&self)
        let length = writerIndex - payloadStart
        setInteger(UInt32(truncatingIfNeeded: length), at: lengthIndex)
        return length + WireProtocol.lengthFieldBytes
    }

    /// Writes `message` as one JSON object, without the length.
    mutating func writeWireJSON(_ message: WireMessage) {
        switch message {
        case .hello(let hello):
            writeStaticString(#"{"type":"hello","stage":"#)
            writeJSONString(hello.stage)
            writeStaticString(#","instance":"#)
            writeJSONString(hello.instance)
            writeStaticString(#","version":"#)
            writeJSONNumber(hello.version)
        case .event(let event):
            writeStaticString(#"{"type":"event","event":"#)
            writeWireEvent(event)
        case .events(let events):
            writeStaticString(#"{"type":"events","events":"#)
            writeJSONArray(events) { $0.writeWireEvent($1) }
        case .ack(let ids):
            writeStaticString(#"{"type":"ack","ids":"#)
            writeJSONArray(ids) { $0.writeJSONString($1.rawValue) }
        case .settled(let ids):
            writeStaticString(#"{"type":"settled","ids":"#)
            writeJSONArray(ids) { $0.writeJSONString($1.rawValue) }
        case .refused(let refusal):
            writeStaticString(#"{"type":"refused","id":"#)
            writeJSONString(refusal.id.rawValue)
            writeStaticString(#","code":"#)
            writeJSONString(refusal.code)
            writeStaticString(#","message":"#)
            writeJSONString(refusal.message)
            if let retryAfter = refusal.retryAfter {
                writeStaticString(#","retry_after":"#)
                writeJSONNumber(retryAfter)
            }
        case .request(let request):
            writeStaticString(#"{"type":"request","id":"#)
            writeJSONNumber(request.id)
            writeStaticString(#","method":"#)
            writeJSONString(request.method)
            writeStaticString(#","params":"#)
            writeJSONRaw(request.params, orStatic: "{}")
        case .notice(let notice):
            writeStaticString(#"{"type":"notice","method":"#)
            writeJSONString(notice.method)
            writeStaticString(#","params":"#)
            writeJSONRaw(notice.params, orStatic: "{}")
        case .response(let response):
            writeStaticString(#"{"type":"response","id":"#)
            writeJSONNumber(response.id)
            switch response.outcome {
            case .success(let result):
                writeStaticString(#","result":"#)
                writeJSONRaw(result, orStatic: "null")
            case .failure(let failure):
                writeStaticString(#","error":"#)
                writeWireFailure(failure)
            }
        case .error(let failure):
            writeStaticString(#"{"type":"error","code":"#)
            writeJSONString(failure.code)
            writeStaticString(#","message":"#)
            writeJSONString(failure.message)
        case .deliver(let event):
            writeStaticString(#"{"type":"deliver","event":"#)
            writeWireEvent(event)
        case .batch(let events):
            writeStaticString(#"{"type":"batch","events":"#)
            writeJSONArray(events) { $0.writeWireEvent($1) }
        }
        writeInteger(UInt8(ascii: "}"))
    }

    /// Writes `raw`, or `fallback` when `raw` is empty (an empty buffer would leave the JSON invalid).
    mutating func writeJSONRaw(_ raw: ByteBuffer, orStatic fallback: StaticString) {
        if raw.readableBytes == 0 {
            writeStaticString(fallback)
        } else {
            writeJSONRaw(raw)
        }
    }

    private mutating func writeWireFailure(_ failure: WireFailure) {
        writeStaticString(#"{"code":"#)
        writeJSONString(failure.code)
        writeStaticString(#","message":"#)
        writeJSONString(failure.message)
        writeInteger(UInt8(ascii: "}"))
    }
}
