import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

extension BatcherService {
    /// An edge's `presence-enter` or `presence-leave`; a malformed one is logged and ignored (the edge's next
    /// restatement repairs what it meant).
    func handle(_ notice: Notice, from peer: StagePeer) {
        do {
            switch notice.method {
            case StageRequests.presenceEnter:
                engine.presenceEnter(try StageRequests.PresenceSeat(params: notice.params), from: peer)
            case StageRequests.presenceLeave:
                engine.presenceLeave(try StageRequests.PresenceSeat(params: notice.params), from: peer)
            default:
                logger.debug(
                    "ignoring a notice", metadata: ["herald.peer": "\(peer)", "herald.method": "\(notice.method)"])
            }
        } catch {
            logger.warning(
                "ignoring a malformed \(notice.method)",
                metadata: ["herald.peer": "\(peer)", "herald.error": "\(error)"])
        }
    }

    /// Every arrival and departure the engine's presence reported, after the edges were told: users coming online
    /// and going offline (`StageRequests.onlineChannel`) publish their `events.online_events` and are the
    /// `user_online` / `user_offline` webhooks (on the user's own channel, `user.{id}`); members of any other channel are `member_added` /
    /// `member_removed`.
    func presenceChanged(_ changes: [PresenceLedger.Change], at time: Int64) {
        var hooks: [WebhookEvent] = []
        for change in changes {
            switch change {
            case .joined(StageRequests.onlineChannel, let member):
                publish(online.arrived(member.userID, roles: Self.roles(in: member.info)), at: time)
                hooks.append(WebhookEvent(name: .userOnline, channel: "user.\(member.userID)", userID: member.userID))
            case .left(StageRequests.onlineChannel, let userID):
                publish(online.left(userID), at: time)
                hooks.append(WebhookEvent(name: .userOffline, channel: "user.\(userID)", userID: userID))
            case .joined(let channel, let member):
                hooks.append(WebhookEvent(name: .memberAdded, channel: channel, userID: member.userID))
            case .left(let channel, let userID):
                hooks.append(WebhookEvent(name: .memberRemoved, channel: channel, userID: userID))
            }
        }
        if !hooks.isEmpty { webhooks?.emit(hooks) }
    }

    /// Each announcement as a high-priority event on its channel, with the audience `events.audiences` gives it.
    private func publish(_ announcements: [OnlineAnnouncer.Announcement], at time: Int64) {
        for announcement in announcements {
            let rule = announcement.rule
            var data = ByteBuffer()
            data.writeInteger(UInt8(ascii: "{"))
            data.writeJSONString(rule.idField)
            data.writeInteger(UInt8(ascii: ":"))
            data.writeJSONString(announcement.userID)
            data.writeStaticString(
                announcement.isOnline ? #","isOnline":true,"lastSeen":"# : #","isOnline":false,"lastSeen":"#)
            data.writeJSONNumber(time)
            data.writeInteger(UInt8(ascii: "}"))
            let name = announcement.isOnline ? rule.online : rule.offline
            var event = WireEvent(
                id: EventID.generate(), name: name, channels: [rule.channel],
                timestamp: Clock.rfc3339(milliseconds: time), priority: .high, data: data)
            event.audience = audiences.audience(of: event)
            counters.onlineEvents += 1
            engine.publish([event], on: rule.channel).whenFailure { error in
                self.logger.warning(
                    "an online event was not delivered",
                    metadata: [
                        "herald.event": "\(name)", "herald.channel": "\(rule.channel)", "herald.error": "\(error)",
                    ])
            }
        }
    }

    /// The `roles` a member's info lists (the edge puts the token's roles there for `onlineChannel`).
    static func roles(in info: ByteBuffer?) -> [String] {
        guard let info, let object = try? JSONScanner.object(info), let roles = try? object["roles"]?.value.array()
        else { return [] }
        return roles.compactMap(\.string)
    }
}
