import HeraldDaemonKit
import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore

/// The event vocabulary (docs/socketio.md) and how each answer is shaped.
extension SocketIOSession {
    mutating func handle(_ event: SocketEvent, now: SessionInstant) -> [ConnectionAction] {
        let first = event.arguments.first
        let fields = first.flatMap { try? $0.object() }
        switch event.name {
        case "subscribe", "unsubscribe":
            guard let channel = fields?["channel"]?.value.string else {
                return refuse(event, .invalidPayload, "\(event.name) takes {channel}")
            }
            return event.name == "subscribe"
                ? subscribe(
                    channel, ack: event.ackID, namespace: event.namespace, style: .channel,
                    token: fields?["token"]?.value.string)
                : unsubscribe(channel, ack: event.ackID, namespace: event.namespace, style: .channel)
        case "join_channel":
            guard let channel = first?.string else {
                return refuse(event, .invalidPayload, "join_channel takes a channel name")
            }
            return subscribe(channel, ack: event.ackID, namespace: event.namespace, style: .joinChannel)
        case "room:subscribe", "room:unsubscribe":
            guard let room = fields?["roomId"]?.value.string, !room.isEmpty else {
                return refuse(event, .invalidPayload, "\(event.name) takes {roomId}")
            }
            let channel = SocketRooms.channel(ofRoom: room)
            return event.name == "room:subscribe"
                ? subscribe(channel, ack: event.ackID, namespace: event.namespace, style: .room(room))
                : unsubscribe(channel, ack: event.ackID, namespace: event.namespace, style: .room(room))
        case "presence:get_online":
            guard let room = fields?["roomId"]?.value.string ?? SocketRooms.roomID(of: event.namespace), !room.isEmpty
            else {
                return refuse(event, .invalidPayload, "presence:get_online takes {roomId}")
            }
            guard let ack = event.ackID else { return [] }
            let tag = nextPresenceTag()
            presenceQueries[tag] = PresenceQuery(room: room, ack: ack, namespace: event.namespace)
            return [.listPresence(channel: SocketRooms.channel(ofRoom: room), tag: tag)]
        case "notification:mark_read", "notification_read":
            return relayRead(event, fields: fields)
        case "ping":
            // `pong` carries an (empty) object: socket.io-client takes a trailing string argument for a recovery
            // offset, and an event without arguments would end with its own name.
            return emit("pong", .object([]), event.namespace)
                + acknowledge(event, .object([.init("success", .bool(true))]))
        default:
            return clientEvent(event, fields: fields, now: now)
        }
    }

    /// An event outside the vocabulary: a client event for the channel's other subscribers, or a call to an
    /// app's backend. On `/` it is `{channel, data}`; in `/rooms/{roomId}` its argument is the data, sent on
    /// `room.{roomId}`.
    private mutating func clientEvent(_ event: SocketEvent, fields: JSONObject?, now: SessionInstant)
        -> [ConnectionAction]
    {
        let request: ClientEventRequest
        if let room = SocketRooms.roomID(of: event.namespace) {
            let data = event.arguments.first.map { ByteBuffer(buffer: $0.raw) } ?? ByteBuffer()
            request = ClientEventRequest(name: event.name, channel: SocketRooms.channel(ofRoom: room), data: data)
        } else {
            guard let channel = fields?["channel"]?.value.string else {
                return refuse(
                    event, .permissionDenied,
                    "\"\(event.name)\" is not an event this edge takes from clients; a client event is "
                        + "emit(<event>, {channel, data}) on a channel that takes it (see docs/socketio.md)")
            }
            let data = fields?["data"].map { ByteBuffer(buffer: $0.value.raw) } ?? ByteBuffer()
            request = ClientEventRequest(name: event.name, channel: channel, data: data)
        }
        let sender = ClientEventSender(connectionID: core.connectionID, principal: core.principal)
        switch gate.decide(request, from: sender, joined: core.isJoined(request.channel), counted: true, now: now) {
        case .publish(let published, let typing):
            nextTicket += 1
            publishing[nextTicket] = (event.ackID, event.namespace, published.id)
            return [.publish(published, ticket: nextTicket)] + (typing.map { [.typing($0)] } ?? [])
        case .call(let call, let timeout):
            nextTicket += 1
            calls[nextTicket] = (event.ackID, event.namespace)
            return [.call(call, timeout: timeout, ticket: nextTicket)]
        case .refused(let code, let message):
            return refuse(event, code, message)
        }
    }

    /// The pipeline's verdict on a client event: the ack `{success, id}`, or the `error` event and `{success:false,
    /// error}` when the authorizer refused it (the user's limit across connections, a channel's or the global one).
    mutating func published(ticket: Int, _ outcome: Result<Void, WireFailure>) -> [ConnectionAction] {
        guard let pending = publishing.removeValue(forKey: ticket), !isClosed else { return [] }
        switch outcome {
        case .success:
            return acknowledge(
                pending.ack, pending.namespace,
                .object([.init("success", .bool(true)), .init("id", .string(pending.event.rawValue))]))
        case .failure(let failure):
            let code = failure.errorCode ?? .internal
            return emit("error", Self.errorValue(code, failure.message), pending.namespace)
                + acknowledge(pending.ack, pending.namespace, Self.failure(code, failure.message))
        }
    }

    /// A backend's answer to a call: its JSON as the acknowledgement; `{success:false, error}` when there is none.
    mutating func called(ticket: Int, _ answer: Result<ByteBuffer, WireFailure>) -> [ConnectionAction] {
        guard let call = calls.removeValue(forKey: ticket), !isClosed, let ack = call.ack else { return [] }
        switch answer {
        case .success(let body):
            let namespace = call.namespace
            return [.write(frame { $0.writeSocketAck(ackID: ack, arguments: [body], namespace: namespace) })]
        case .failure(let failure):
            return acknowledge(ack, call.namespace, Self.failure(failure.errorCode ?? .internal, failure.message))
        }
    }

    /// A read receipt goes to the user's other connections as `notification_read {notificationId}`, published
    /// on `user.{sub}` (which every connection of the user joins) with this connection left out, and with the
    /// user as its `user_id`.
    private mutating func relayRead(_ event: SocketEvent, fields: JSONObject?) -> [ConnectionAction] {
        guard let notification = fields?["notificationId"]?.value,
            notification.kind == .string || notification.kind == .number
        else {
            return refuse(event, .invalidPayload, "\(event.name) takes {notificationId}")
        }
        guard let principal = core.principal else { return [] }
        let data = SocketValue.object([.init("notificationId", .raw(ByteBuffer(buffer: notification.raw)))]).json
        // The user it comes from, so the authorizer counts it against limits.client_events_per_minute.
        var userID = ByteBuffer()
        userID.writeJSONString(principal.userID)
        let relayed = WireEvent(
            id: EventID.generate(), name: "notification_read", channels: ["user.\(principal.userID)"],
            timestamp: Clock.rfc3339(), priority: .high, userID: userID, isClientEvent: true,
            audience: Audience(excludeSocketID: socketIDValue), data: data)
        return [.publish(relayed)] + acknowledge(event, .object([.init("success", .bool(true))]))
    }

    private var socketIDValue: String { core.connectionID }

    /// Answers a finished subscription request in the shape the client asked in.
    mutating func answer(_ request: SocketRequest, refusal: (code: ErrorCode, message: String)?) -> [ConnectionAction] {
        switch request {
        case .subscribe(let channel, let ack, let namespace, let style):
            if let refusal { return subscribeRefused(channel, ack: ack, namespace: namespace, style: style, refusal) }
            return subscribed(channel, ack: ack, namespace: namespace, style: style) + presenceJoin(channel)
        case .unsubscribe(let channel, let ack, let namespace, let style):
            switch style {
            case .namespace:
                return []
            case .channel, .joinChannel:
                return emit("unsubscribed", .object([.init("channel", .string(channel))]), namespace)
                    + acknowledge(
                        ack, namespace, .object([.init("success", .bool(true)), .init("channel", .string(channel))]))
            case .room(let room):
                return emit("room:unsubscribed", .object([.init("roomId", .string(room))]), namespace)
                    + acknowledge(
                        ack, namespace,
                        .object([.init("success", .bool(true)), .init("room", .object([.init("id", .string(room))]))]))
            }
        }
    }

    /// The answer to a subscription the authorizer allowed, in the shape the client asked in.
    private mutating func subscribed(
        _ channel: String, ack: SocketAckID?, namespace: SocketNamespace, style: SocketRequest.Style
    ) -> [ConnectionAction] {
        switch style {
        case .namespace:
            connected.insert(namespace)
            let sid = core.connectionID
            return [.write(frame { $0.writeSocketConnect(sid: sid, namespace: namespace) })]
        case .channel:
            return emit(
                "subscribed", .object([.init("channel", .string(channel)), .init("status", .string("success"))]),
                namespace)
                + acknowledge(
                    ack, namespace, .object([.init("success", .bool(true)), .init("channel", .string(channel))]))
        case .joinChannel:
            return acknowledge(ack, namespace, .object([.init("success", .bool(true))]))
        case .room(let room):
            return emit("room:subscribed", .object([.init("roomId", .string(room))]), namespace)
                + acknowledge(
                    ack, namespace,
                    .object([.init("success", .bool(true)), .init("room", .object([.init("id", .string(room))]))]))
        }
    }

    /// A room (`room.{roomId}`, by its namespace or `room:subscribe`) or a `presence-` channel makes the user a
    /// member there.
    private func presenceJoin(_ channel: String) -> [ConnectionAction] {
        guard let principal = core.principal, channel.hasPrefix("room.") || channel.hasPrefix("presence-") else {
            return []
        }
        return [.presenceJoin(channel: channel, member: PresenceMember(principal))]
    }

    private mutating func subscribeRefused(
        _ channel: String, ack: SocketAckID?, namespace: SocketNamespace, style: SocketRequest.Style,
        _ refusal: (code: ErrorCode, message: String)
    ) -> [ConnectionAction] {
        let message = refusal.code == .permissionDenied ? "Unauthorized" : refusal.message
        let failure = Self.failure(refusal.code, message)
        switch style {
        case .namespace:
            let data = SocketValue.object([.init("code", .string(refusal.code.rawValue))]).json
            return [.write(frame { $0.writeSocketConnectError(message: message, data: data, namespace: namespace) })]
        case .channel, .joinChannel:
            return emit(
                "subscription_error", .object([.init("channel", .string(channel)), .init("error", .string(message))]),
                namespace)
                + acknowledge(ack, namespace, failure)
        case .room:
            return emit("error", Self.errorValue(refusal.code, message), namespace)
                + acknowledge(ack, namespace, failure)
        }
    }

    /// The `error` event and, when the client asked for one, the acknowledgement `{success:false, error}`.
    mutating func refuse(_ event: SocketEvent, _ code: ErrorCode, _ message: String) -> [ConnectionAction] {
        emit("error", Self.errorValue(code, message), event.namespace)
            + acknowledge(event.ackID, event.namespace, Self.failure(code, message))
    }

    // MARK: Shapes

    /// `{code, message, details}`, the `error` event's argument.
    static func errorValue(_ code: ErrorCode, _ message: String) -> SocketValue {
        .object([
            .init("code", .string(code.rawValue)), .init("message", .string(message)), .init("details", .object([])),
        ])
    }

    /// `{success: false, error: {code, message}}`, a refused request's acknowledgement.
    static func failure(_ code: ErrorCode, _ message: String) -> SocketValue {
        .object([
            .init("success", .bool(false)),
            .init("error", .object([.init("code", .string(code.rawValue)), .init("message", .string(message))])),
        ])
    }

    func emit(_ name: String, _ value: SocketValue, _ namespace: SocketNamespace) -> [ConnectionAction] {
        let argument = value.json
        return [.write(frame { $0.writeSocketEvent(name: name, arguments: [argument], namespace: namespace) })]
    }

    func acknowledge(_ event: SocketEvent, _ value: SocketValue) -> [ConnectionAction] {
        acknowledge(event.ackID, event.namespace, value)
    }

    func acknowledge(_ ack: SocketAckID?, _ namespace: SocketNamespace, _ value: SocketValue) -> [ConnectionAction] {
        guard let ack else { return [] }
        let argument = value.json
        return [.write(frame { $0.writeSocketAck(ackID: ack, arguments: [argument], namespace: namespace) })]
    }

    /// A complete WebSocket text frame holding one Engine.IO packet.
    func frame(_ write: (inout ByteBuffer) -> Void) -> ByteBuffer {
        ServerFrame.text(allocator: ByteBufferAllocator(), payloadCapacity: 128, write)
    }
}
