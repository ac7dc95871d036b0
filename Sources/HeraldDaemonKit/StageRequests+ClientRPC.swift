import HeraldModel
import HeraldWire
import NIOCore

extension StageRequests {
    public static let clientRPC = "client-rpc"

    /// `client-rpc {app, data, event, principal, room, socket_id}` → `{"answer": <the backend's JSON>}`, or
    /// UNAVAILABLE (no answer in time, no connection) / INTERNAL (another status, an answer that is not JSON).
    ///
    /// A client event the app's `rpc.events` names, sent on `room.{roomId}`: the authorizer POSTs it to the
    /// app's `rpc.url`. `data` is the client's JSON as it came, so this request is written and read by hand
    /// only (there is no Foundation form of it).
    public struct ClientRPC: Sendable, Hashable {
        /// The app whose `rpc.events` names the event.
        public var app: String
        public var event: String
        /// The room id, without `room.`.
        public var room: String
        /// The client's data: the raw bytes of any JSON value (empty: `null`).
        public var data: ByteBuffer
        public var principal: Principal
        /// The sender's connection id.
        public var socketID: String

        public init(app: String, event: String, room: String, data: ByteBuffer, principal: Principal, socketID: String)
        {
            self.app = app
            self.event = event
            self.room = room
            self.data = data
            self.principal = principal
            self.socketID = socketID
        }

        /// Keys in UTF-8 order, like every stage request.
        public func encode(into buffer: inout ByteBuffer) {
            buffer.writeStaticString(#"{"app":"#)
            buffer.writeJSONString(app)
            buffer.writeStaticString(#","data":"#)
            if data.readableBytes > 0 { buffer.writeJSONRaw(data) } else { buffer.writeStaticString("null") }
            buffer.writeStaticString(#","event":"#)
            buffer.writeJSONString(event)
            buffer.writeStaticString(#","principal":"#)
            principal.encode(into: &buffer)
            buffer.writeStaticString(#","room":"#)
            buffer.writeJSONString(room)
            buffer.writeStaticString(#","socket_id":"#)
            buffer.writeJSONString(socketID)
            buffer.writeInteger(UInt8(ascii: "}"))
        }

        public var params: ByteBuffer {
            var buffer = ByteBufferAllocator().buffer(capacity: 256 + data.readableBytes)
            encode(into: &buffer)
            return buffer
        }

        /// Reads the request; throws `INVALID_PAYLOAD` naming the member that is wrong.
        public init(params: ByteBuffer) throws {
            do {
                let fields = WireFields(try JSONScanner.object(params))
                guard let data = fields.object["data"]?.value else { throw fields.invalid("data", "missing") }
                self.init(
                    app: try fields.string("app"), event: try fields.string("event"), room: try fields.string("room"),
                    data: data.isNull ? ByteBuffer() : ByteBuffer(buffer: data.raw),
                    principal: try Principal(fields: try fields.requiredFields("principal")),
                    socketID: try fields.string("socket_id"))
            } catch let error as WireError {
                throw HeraldError(.invalidPayload, "\(StageRequests.clientRPC): \(error.message)")
            }
        }
    }

    /// The answer to `client-rpc`: `{"answer": <the backend's 200 JSON body, as it came>}`.
    public struct ClientRPCAnswer: Sendable, Hashable {
        public var answer: ByteBuffer

        public init(answer: ByteBuffer) {
            self.answer = answer
        }

        public var params: ByteBuffer {
            var buffer = ByteBufferAllocator().buffer(capacity: 16 + answer.readableBytes)
            buffer.writeStaticString(#"{"answer":"#)
            buffer.writeJSONRaw(answer)
            buffer.writeInteger(UInt8(ascii: "}"))
            return buffer
        }

        public init(params: ByteBuffer) throws {
            guard let object = try? JSONScanner.object(params), let answer = object["answer"]?.value else {
                throw HeraldError(.invalidPayload, "\(StageRequests.clientRPC) answer: answer: missing")
            }
            self.init(answer: ByteBuffer(buffer: answer.raw))
        }
    }
}
