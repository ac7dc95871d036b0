import HeraldModel
import NIOCore

extension ByteBuffer {
    /// Writes `event` as its JSON object, fields in protocol order, optional ones left out when absent.
    public mutating func writeWireEvent(_ event: WireEvent) {
        writeStaticString(#"{"id":"#)
        writeJSONString(event.id.rawValue)
        writeStaticString(#","event":"#)
        writeJSONString(event.name)
        writeStaticString(#","channels":"#)
        writeJSONArray(event.channels) { $0.writeJSONString($1) }
        writeStaticString(#","timestamp":"#)
        writeJSONString(event.timestamp)
        writePriorityMember(event.priority)
        writeUserIDMember(event.userID)
        if let appID = event.appID {
            writeStaticString(#","app_id":"#)
            writeJSONString(appID)
        }
        if event.isClientEvent { writeStaticString(#","client":true"#) }
        if !event.audience.isEveryone {
            writeStaticString(#","audience":"#)
            writeAudience(event.audience)
        }
        if let collapseKey = event.collapseKey {
            writeStaticString(#","collapse_key":"#)
            writeJSONString(collapseKey)
        }
        if let sequence = event.sequence {
            writeStaticString(#","sequence":"#)
            writeJSONNumber(sequence)
        }
        writeEnvelopeTail(of: event)
    }

    private mutating func writeAudience(_ audience: Audience) {
        var separator = false
        func key(_ buffer: inout ByteBuffer, _ name: StaticString) {
            if separator { buffer.writeInteger(UInt8(ascii: ",")) }
            separator = true
            buffer.writeStaticString(name)
        }
        writeInteger(UInt8(ascii: "{"))
        if let roles = audience.roles {
            key(&self, #""roles":"#)
            writeJSONArray(roles) { $0.writeJSONString($1) }
        }
        if let owners = audience.owners {
            key(&self, #""owners":"#)
            writeJSONArray(owners) { $0.writeJSONString($1) }
        }
        if let userIDs = audience.userIDs {
            key(&self, #""user_ids":"#)
            writeJSONArray(userIDs) { $0.writeJSONString($1) }
        }
        if let excludeUserIDs = audience.excludeUserIDs {
            key(&self, #""exclude_user_ids":"#)
            writeJSONArray(excludeUserIDs) { $0.writeJSONString($1) }
        }
        if let socketID = audience.excludeSocketID {
            key(&self, #""socket_id":"#)
            writeJSONString(socketID)
        }
        writeInteger(UInt8(ascii: "}"))
    }
}
