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
        Golden(name: "hello", message: .hello(Hello(stage: "ingress", instance: "ingress-4242", version: 5))),
        Golden(name: "event", message: .event(commentCreated)),
        Golden(name: "ack", message: .ack([EventID(uncheckedRawValue: "evt_A"), EventID(uncheckedRawValue: "evt_B")])),
        Golden(name: "settled", message: .settled([EventID(uncheckedRawValue: "evt_A")])),
        Golden(
            name: "refused",
            message: .refused(
                EventRefusal(
                    id: EventID(uncheckedRawValue: "evt_01J2ZK8Q4M7X9TB3W5N6P0RCDE"), .rateLimitExceeded,
                    "channel thread.456 takes at most 1000 events a minute (limits.channel_events_per_minute); "
                        + "retry in 12 s", retryAfter: 12))
        ),
        Golden(
            name: "refused-permission",
            message: .refused(
                EventRefusal(
                    id: EventID(uncheckedRawValue: "evt_A"), .permissionDenied,
                    "a client may not publish on system.alerts"))
        ),
        Golden(
            name: "request",
            message: .request(
                Request(
                    id: 7, method: "authorize-connect",
                    params: ByteBuffer(string: #"{"token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.sig"}"#)
                )
            )
        ),
        Golden(
            name: "response",
            message: .response(Response(id: 7, outcome: .success(ByteBuffer(string: #"{"principal":\#(principal)}"#))))
        ),
        Golden(
            name: "response-expired",
            message: .response(Response(id: 7, outcome: .failure(WireFailure(.tokenExpired, "Token expired"))))
        ),
        Golden(
            name: "request-subscribe",
            message: .request(
                Request(
                    id: 8, method: "authorize-subscribe",
                    params: ByteBuffer(string: #"{"principal":\#(principal),"channel":"team.7.board"}"#)
                )
            )
        ),
        Golden(
            name: "response-subscribe",
            message: .response(Response(id: 8, outcome: .success(ByteBuffer(string: #"{"allowed":true}"#))))
        ),
        Golden(
            name: "response-error",
            message: .response(Response(id: 8, outcome: .failure(WireFailure(.permissionDenied, "Unauthorized"))))
        ),
        Golden(name: "error", message: .error(WireFailure(.invalidPayload, "frame is not a JSON object"))),
        Golden(
            name: "notice",
            message: .notice(
                Notice(
                    method: "presence-change",
                    params: ByteBuffer(
                        string:
                            #"{"channel":"presence-thread.7","action":"join","user":{"id":"42","info":{"name":"Ada"},"#
                            + #""since":1752748200000},"connection":"1234.5678","time_ms":1752748200000}"#)))
        ),
        Golden(
            name: "request-interest",
            message: .request(
                Request(
                    id: 3, method: "interest",
                    params: ByteBuffer(string: #"{"add":[{"channel":"thread.1"}],"remove":[]}"#)
                )
            )
        ),
        Golden(
            name: "response-interest",
            message: .response(
                Response(
                    id: 3,
                    outcome: .success(
                        ByteBuffer(string: #"{"positions":{"thread.1":{"epoch":"7x9tb3w5n6p0","offset":12}}}"#))
                )
            )
        ),
        Golden(
            name: "request-interest-reset",
            message: .request(
                Request(
                    id: 4, method: "interest",
                    params: ByteBuffer(
                        string: #"{"reset":true,"add":[{"channel":"inventory","epoch":"7x9tb3w5n6p0","offset":41},"#
                            + #"{"channel":"thread.1","epoch":"7x9tb3w5n6p0","offset":12}],"remove":[]}"#
                    )
                )
            )
        ),
        Golden(
            name: "response-interest-reset",
            message: .response(
                Response(
                    id: 4,
                    outcome: .success(
                        ByteBuffer(
                            string: #"{"positions":{"inventory":{"epoch":"k3v8r2m1q9zd","offset":4},"#
                                + #""thread.1":{"epoch":"k3v8r2m1q9zd","offset":2}}}"#
                        )
                    )
                )
            )
        ),
        Golden(
            name: "request-room-check",
            message: .request(
                Request(id: 14, method: "room-check", params: ByteBuffer(string: #"{"app":"lottery","room":"42"}"#)))
        ),
        Golden(
            name: "response-room-check",
            message: .response(Response(id: 14, outcome: .success(ByteBuffer(string: #"{"exists":true}"#))))
        ),
        Golden(
            name: "response-room-not-found",
            message: .response(
                Response(id: 14, outcome: .failure(WireFailure(.roomNotFound, "room 42 does not exist"))))
        ),
        Golden(name: "event-client", message: .event(typingStarted)),
        Golden(
            name: "request-rpc",
            message: .request(
                Request(
                    id: 9, method: "client-rpc",
                    params: ByteBuffer(
                        string: #"{"app":"lottery","data":{"questionId":3,"answer":"B"},"event":"quiz:answer_submit","#
                            + #""principal":\#(sortedPrincipal),"room":"quiz1","socket_id":"1538972513.1078442970"}"#)
                )
            )
        ),
        Golden(
            name: "response-rpc",
            message: .response(
                Response(
                    id: 9,
                    outcome: .success(
                        ByteBuffer(string: #"{"answer":{"success":true,"correct":true,"responseTime":840,"rank":2}}"#))
                )
            )
        ),
        Golden(name: "events", message: .events(published)),
        Golden(name: "deliver", message: .deliver(lowStock)),
        Golden(name: "batch", message: .batch(viewCounts)),
    ]

    /// An authorized connection's principal as the authorizer encodes it, every member set.
    static let principal =
        #"{"user_id":"42","roles":["member"],"name":"An","expires_at":1752748200,"token_id":"tok-9f2c","#
        + #""channels":["team.7.*"]}"#

    /// The same principal with its keys sorted, as the hand codec writes it.
    static let sortedPrincipal =
        #"{"channels":["team.7.*"],"expires_at":1752748200,"name":"An","roles":["member"],"token_id":"tok-9f2c","#
        + #""user_id":"42"}"#

    /// A client's event as an edge hands it on: marked `client`, its sender left out.
    static let typingStarted = WireEvent(
        id: EventID(uncheckedRawValue: "evt_01J2ZM3K8W4Q9TB3W5N6P0RCDE"), name: "forum.typing.started",
        channels: ["thread.456"], timestamp: "2025-07-17T10:31:00Z", priority: .high,
        userID: ByteBuffer(string: #""42""#), isClientEvent: true,
        audience: Audience(excludeSocketID: "1538972513.1078442970"),
        data: ByteBuffer(string: #"{"thread_id":456,"expires_at":1752748265000,"user":{"id":"42","name":"An"}}"#))

    /// Every field set.
    static let commentCreated = WireEvent(
        id: EventID(uncheckedRawValue: "evt_01J2ZK8Q4M7X9TB3W5N6P0RCDE"),
        name: "forum.comment.created",
        channels: ["thread.456"],
        timestamp: "2025-07-17T10:30:00Z",
        priority: .medium,
        userID: ByteBuffer(string: "123"),
        appID: "lottery",
        audience: Audience(
            roles: ["admin"], owners: ["123"], userIDs: ["1"], excludeUserIDs: ["2"], excludeSocketID: "c1"),
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

    /// Two events as ingress hands them to the authorizer in one tick: no offset, epoch or sequence yet.
    static let published = [
        WireEvent(
            id: EventID(uncheckedRawValue: "evt_01J2ZKC0"), name: "order:created", channels: ["user.123"],
            timestamp: "2025-07-17T10:33:00Z", priority: .high, data: ByteBuffer(string: #"{"order_id":77}"#)),
        WireEvent(
            id: EventID(uncheckedRawValue: "evt_01J2ZKC1"), name: "order:paid", channels: ["user.123", "orders"],
            timestamp: "2025-07-17T10:33:01Z", priority: .medium, data: ByteBuffer(string: #"{"order_id":77}"#)),
    ]

    /// A medium window's flush on one channel: consecutive offsets and sequences.
    static let viewCounts = [7, 9].enumerated().map { index, views in
        WireEvent(
            id: EventID(uncheckedRawValue: "evt_01J2ZKB\(index)"),
            name: "forum.thread.view_count_updated",
            channels: ["thread.456"],
            timestamp: "2025-07-17T10:32:0\(index)Z",
            priority: .low,
            data: ByteBuffer(string: #"{"thread_id":456,"views":"# + "\(views)}"),
            offset: Int64(14 + index),
            epoch: "e7",
            sequence: Int64(301 + index)
        )
    }
}
