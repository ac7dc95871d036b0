import HeraldModel
import HeraldWire
import NIOCore
import Testing

/// One golden fixture and the value it encodes.
struct Golden: Sendable, CustomTestStringConvertible {
    let name: String
    let message: WireMessage

    var testDescription: String { name }

    static let all: [Golden] = [
        Golden(name: "hello", message: .hello(Hello(stage: "ingress", instance: "ingress-4242", version: 1))),
        Golden(name: "event", message: .event(commentCreated)),
        Golden(name: "ack", message: .ack([EventID(uncheckedRawValue: "evt_A"), EventID(uncheckedRawValue: "evt_B")])),
        Golden(name: "settled", message: .settled([EventID(uncheckedRawValue: "evt_A")])),
        Golden(
            name: "request",
            message: .request(
                Request(
                    id: 7, method: "authorize-connect",
                    params: ByteBuffer(
                        string: #"{"token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.sig","socket_id":"c1"}"#
                    )
                )
            )
        ),
        Golden(
            name: "response",
            message: .response(
                Response(
                    id: 7,
                    outcome: .success(
                        ByteBuffer(string: #"{"user_id":"42","roles":["member"],"expires_at":1752748200}"#))
                )
            )
        ),
        Golden(
            name: "response-error",
            message: .response(
                Response(
                    id: 7,
                    outcome: .failure(WireFailure(.permissionDenied, "channel admin.notifications needs role admin"))
                )
            )
        ),
        Golden(name: "error", message: .error(WireFailure(.invalidPayload, "frame is not a JSON object"))),
        Golden(
            name: "interest",
            message: .interest(
                Interest(add: [InterestEntry(channel: "thread.1", epoch: "e1", offset: 12)], remove: ["thread.2"])
            )
        ),
        Golden(name: "deliver", message: .deliver(lowStock)),
    ]

    /// Every field set.
    static let commentCreated = WireEvent(
        id: EventID(uncheckedRawValue: "evt_01J2ZK8Q4M7X9TB3W5N6P0RCDE"),
        name: "forum.comment.created",
        channels: ["thread.456"],
        timestamp: "2025-07-17T10:30:00Z",
        priority: .medium,
        userID: ByteBuffer(string: "123"),
        audience: Audience(roles: ["admin"], userIDs: ["1"], excludeUserIDs: ["2"], excludeSocketID: "c1"),
        collapseKey: "k",
        data: ByteBuffer(
            string: #"{"thread_id":456,"comment":{"id":789,"body":"Cảm ơn bạn! 🎉","author":"Nguyễn Văn An"}}"#
        ),
        metadata: ByteBuffer(string: #"{"version":"1.0","source":"laravel_api","request_id":"req-9f2c"}"#),
        offset: 13,
        epoch: "e1f"
    )

    /// One channel with its offset and epoch, as the batcher delivers to an edge; optional fields left out.
    static let lowStock = WireEvent(
        id: EventID(uncheckedRawValue: "evt_01J2ZK9A1B2C3D4E5F6G7H8J9K"),
        name: "inventory:low_stock",
        channels: ["inventory"],
        timestamp: "2025-07-17T10:31:05Z",
        priority: .high,
        audience: Audience(roles: ["admin", "manager", "staff"]),
        data: ByteBuffer(string: #"{"sku":"TSHIRT-M","warehouse":"Hà Nội","quantity":3}"#),
        offset: 42,
        epoch: "e7"
    )
}
