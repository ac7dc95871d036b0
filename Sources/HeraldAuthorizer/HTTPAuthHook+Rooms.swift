import AsyncHTTPClient
import Foundation
import HeraldConfig
import Logging
import NIOCore
import NIOHTTP1

/// Room checks over the same HTTP hook: the room question is POSTed like a subscription question, and only the
/// status matters — 2xx, the room exists; 404, it does not; anything else, or no answer within the timeout, the
/// backend could not say.
extension HTTPAuthHook: RoomDirectory {
    /// The room directory `auth.hook` describes, cached and coalesced, or `nil` when no URL is set (every room
    /// exists then).
    public static func configuredRooms(_ config: AuthHookConfig, logger: Logger) -> (any RoomDirectory)? {
        uncached(config, logger: logger).map { CachingRoomDirectory($0, cacheSeconds: config.cacheSeconds) }
    }

    public func check(_ question: RoomQuestion) async -> RoomAnswer {
        let answer = await answered(
            within: .unavailable("the auth hook did not answer a room check within \(timeout.milliseconds) ms"),
            unreachable: { .unavailable("the auth hook at \(url) could not be reached: \($0)") }
        ) { try await postRoom(question) }
        if case .unavailable(let why) = answer {
            logger.warning(
                "a room check got no answer from the auth hook",
                metadata: [
                    "herald.channel": "\(question.channel)", "herald.app.id": "\(question.app)", "why": "\(why)",
                ])
        }
        return answer
    }

    private func postRoom(_ question: RoomQuestion) async throws -> RoomAnswer {
        let response = try await send(question)
        // The body says nothing here; it is read (up to the answer limit) so the connection can be reused.
        _ = try? await response.body.collect(upTo: Self.maxAnswerBytes)
        return RoomAnswer(status: Int(response.status.code))
    }
}
