import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

extension PresenceMember {
    /// The member a token makes of its user: its id, and `{"name": …}` when the token names the user.
    public init(_ principal: Principal) {
        var info: ByteBuffer?
        if let name = principal.name {
            var buffer = ByteBuffer()
            buffer.writeStaticString(#"{"name":"#)
            buffer.writeJSONString(name)
            buffer.writeStaticString("}")
            info = buffer
        }
        self.init(userID: principal.userID, info: info)
    }

    /// The member a connection makes of its user on `StageRequests.onlineChannel`: `{"name"?, "roles"}`, so the
    /// batcher can tell which `events.online_events` apply.
    public static func online(_ principal: Principal) -> PresenceMember {
        var info = ByteBuffer()
        info.writeInteger(UInt8(ascii: "{"))
        if let name = principal.name {
            info.writeStaticString(#""name":"#)
            info.writeJSONString(name)
            info.writeInteger(UInt8(ascii: ","))
        }
        info.writeStaticString(#""roles":"#)
        info.writeJSONArray(principal.roles) { $0.writeJSONString($1) }
        info.writeInteger(UInt8(ascii: "}"))
        return PresenceMember(userID: principal.userID, info: info)
    }

    /// A string member of `info` (`name`, `avatar`), when `info` is an object that has one.
    public func infoString(_ key: String) -> String? {
        guard let info, let object = try? JSONScanner.object(info) else { return nil }
        return object[key]?.value.string
    }
}
