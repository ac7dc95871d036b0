import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

extension AuthorizerService {
    /// `room-check` from ingress: asks the backend hook whether the room exists, and answers `{"exists":true}`,
    /// `ROOM_NOT_FOUND` or `UNAVAILABLE`. Without a hook every room exists and nothing is asked.
    func checkRoom(_ request: Request, from peer: StagePeer) {
        let ask: StageRequests.RoomCheck
        do {
            ask = try StageRequests.decode(StageRequests.RoomCheck.self, from: request.params)
        } catch {
            peer.send(.response(Response(id: request.id, outcome: .failure(WireFailure(error)))))
            return
        }
        guard let rooms else {
            peer.send(.response(Response(id: request.id, outcome: .success(Self.roomExists))))
            return
        }
        let loop = self.loop
        Task {
            let outcome = Self.outcome(await rooms.check(RoomQuestion(app: ask.app, room: ask.room)), of: ask)
            loop.execute { peer.send(.response(Response(id: request.id, outcome: outcome))) }
        }
    }

    static let roomExists = StageRequests.encode(StageRequests.RoomPresence(exists: true))

    /// The response to a room check: the backend's answer in the wire's terms.
    static func outcome(_ answer: RoomAnswer, of ask: StageRequests.RoomCheck) -> Result<ByteBuffer, WireFailure> {
        switch answer {
        case .exists:
            return .success(roomExists)
        case .notFound:
            return .failure(
                WireFailure(
                    .roomNotFound,
                    "room \(ask.room) does not exist (the backend's auth hook answered 404); create it in the "
                        + "backend first, or check the room id"))
        case .unavailable(let why):
            return .failure(
                WireFailure(
                    .unavailable, "could not ask the backend whether room \(ask.room) exists (\(why)); retry later"))
        }
    }
}
