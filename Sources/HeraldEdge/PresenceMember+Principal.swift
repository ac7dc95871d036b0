import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

extension PresenceMember {
    /// The member a token makes of its user: its id, and as info the token's `info` object with the token's
    /// `name` as `"name"` when `info` has none (`{"name": …}` alone without `info`; nil with neither).
    public init(_ principal: Principal) {
        let claimed = principal.info.flatMap { try? JSONScanner.object(ByteBuffer(string: $0)) }
        let name = claimed?["name"] == nil ? principal.name : nil
        guard name != nil || claimed != nil else {
            self.init(userID: principal.userID)
            return
        }
        var info = ByteBuffer()
        info.writeInteger(UInt8(ascii: "{"))
        var first = true
        if let name {
            info.writeStaticString(#""name":"#)
            info.writeJSONString(name)
            first = false
        }
        for member in claimed?.members ?? [] {
            if !first { info.writeInteger(UInt8(ascii: ",")) }
            first = false
            info.writeJSONString(member.key)
            info.writeInteger(UInt8(ascii: ":"))
            info.writeImmutableBuffer(member.value.raw)
        }
        info.writeInteger(UInt8(ascii: "}"))
        self.init(userID: principal.userID, info: info)
    }

    /// The member a connection makes of its user on `StageRequests.onlineChannel`: `{"roles":[…]}`, so the batcher
    /// can tell which `events.online_events` apply (every connection holds one: kept small).
    public static func online(_ principal: Principal) -> PresenceMember {
        var info = ByteBufferAllocator().buffer(
            capacity: 12 + principal.roles.reduce(0) { $0 + $1.utf8.count + 3 })
        info.writeStaticString(#"{"roles":"#)
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
