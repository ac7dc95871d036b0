import HeraldDaemonKit
import NIOCore

extension AuthorizerService {
    /// What `decide` concluded about a request: the answer for the edge, and for an allowed `authorize-connect`
    /// that named its connection, that connection and its user, which `countConnection` counts on `loop` before
    /// the answer goes out. Carrying them here spares decoding the request and its answer a second time.
    struct Decision: Sendable {
        var answer: ByteBuffer
        var connection: StageRequests.CountedConnection?

        init(answer: ByteBuffer, connection: StageRequests.CountedConnection? = nil) {
            self.answer = answer
            self.connection = connection
        }
    }
}
