import HeraldDaemonKit
import HeraldModel
import HeraldWire
import Logging
import NIOCore

extension IngressAPI {
    /// `POST /api/rooms/{roomId}/events` once its head was accepted: parse the body, count the event against
    /// the room's rate limit, ask whether the room exists (when a backend hook is configured), then hand the event
    /// to the authorizer and answer `202 {"ok":true,"id":…}` once it took it.
    func publishRoomEvent(
        to target: RoomEventTarget, body: ByteBuffer, settings: IngressSettings, logger: Logger,
        on loop: any EventLoop
    ) -> EventLoopFuture<IngressResponse> {
        var logger = logger
        logger[metadataKey: "herald.app.id"] = "\(target.appID)"
        let event: WireEvent
        do {
            event = try settings.roomEventParser.parse(body, appID: target.appID, roomID: target.roomID)
            try admit(target, limit: settings.appEventsPerSecondPerRoom)
        } catch {
            logger.debug(
                "refused a room event",
                metadata: ["herald.room": "\(target.roomID)", "herald.error": "\(error.message)"])
            return loop.makeSucceededFuture(.error(error))
        }
        guard settings.checksRooms else {
            return deliver([event], answer: .accepted(id: event.id), settings: settings, logger: logger, on: loop)
        }
        let check = StageRequests.RoomCheck(app: target.appID, room: target.roomID)
        return handoff.link.request(method: StageRequests.roomCheck, params: StageRequests.encode(check))
            .hop(to: loop)
            .flatMap { [logger] _ in
                self.deliver([event], answer: .accepted(id: event.id), settings: settings, logger: logger, on: loop)
            }
            .recover { [logger] error in
                let refusal = Self.roomCheckRefusal(error, room: target.roomID)
                logger.info(
                    "a room event's room check failed",
                    metadata: ["herald.room": "\(target.roomID)", "herald.error": "\(refusal.message)"])
                return .error(refusal)
            }
    }

    /// Counts a room event against `limits.app_events_per_second_per_room`, following a reloaded limit.
    private func admit(_ target: RoomEventTarget, limit: Int) throws(HeraldError) {
        let now = self.now()
        let key = RoomEventLimiter.Key(app: target.appID, room: target.roomID)
        let outcome = roomLimits.withLockedValue { limiter -> Result<Void, HeraldError> in
            if limiter.limit != limit { limiter.change(perSecondPerRoom: limit) }
            return Result { () throws(HeraldError) in try limiter.admit(key, now: now) }
        }
        try outcome.get()
    }

    /// The answer when the room check did not say the room exists: `ROOM_NOT_FOUND` as the authorizer said it;
    /// every other failure (the backend or the authorizer did not answer) is `UNAVAILABLE`.
    static func roomCheckRefusal(_ error: any Error, room: String) -> HeraldError {
        guard let error = error as? HeraldError else {
            return HeraldError(.unavailable, "could not check that room \(room) exists; retry later")
        }
        switch error.code {
        case .roomNotFound, .unavailable: return error
        default:
            return HeraldError(
                .unavailable, "could not check that room \(room) exists (\(error.message)); retry later")
        }
    }
}
