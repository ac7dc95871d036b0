import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore

extension NativeProtocol {
    /// Reads `{"type":…, "id":…, …}`. Only the members a command needs are looked at; unknown members are
    /// ignored so that newer clients can add fields.
    public func command(fromText message: ByteBuffer) -> ClientCommand {
        let object: JSONObject
        do {
            object = try JSONScanner.object(message)
        } catch let error as WireError {
            return .malformed(message: "messages are JSON objects; \(error.message)")
        } catch {
            return .malformed(message: "messages are JSON objects: \(error)")
        }
        guard let type = object["type"]?.value.string else {
            return .malformed(message: #"every message names itself in a "type" string"#)
        }
        if type == "auth" {
            guard let token = object["token"]?.value.string else {
                return .malformed(message: #"auth needs a "token" string"#)
            }
            return .authenticate(token: token)
        }
        guard let idValue = object["id"]?.value, idValue.kind == .string || idValue.kind == .number else {
            return .malformed(message: #"\#(type) needs an "id" (string or number) to acknowledge it"#)
        }
        let id = CommandID(json: String(buffer: idValue.raw))
        switch type {
        case "subscribe":
            guard let channel = object["channel"]?.value.string else {
                return .invalid(id: id, message: #"subscribe needs a "channel" string"#)
            }
            var token: String?
            if let member = object["token"], !member.value.isNull {
                guard let text = member.value.string else {
                    return .invalid(id: id, message: #"a subscribe's "token" is a subscription token string"#)
                }
                token = text
            }
            guard let recoverMember = object["recover"], !recoverMember.value.isNull else {
                return .subscribe(id: id, channel: channel, recover: nil, token: token)
            }
            guard let recover = try? recoverMember.value.object(),
                let epoch = recover["epoch"]?.value.string, let offset = recover["offset"]?.value.int64
            else {
                return .invalid(id: id, message: #"recover is {"epoch": string, "offset": integer}"#)
            }
            return .subscribe(
                id: id, channel: channel, recover: ChannelPosition(epoch: epoch, offset: offset), token: token)
        case "unsubscribe":
            guard let channel = object["channel"]?.value.string else {
                return .invalid(id: id, message: #"unsubscribe needs a "channel" string"#)
            }
            return .unsubscribe(id: id, channel: channel)
        case "ping":
            return .ping(id: id)
        case "presence":
            guard let channel = object["channel"]?.value.string else {
                return .invalid(id: id, message: #"presence needs a "channel" string"#)
            }
            return .presence(id: id, channel: channel)
        case "publish":
            guard let channel = object["channel"]?.value.string, let event = object["event"]?.value.string else {
                return .invalid(id: id, message: #"publish needs "channel" and "event" strings (and any "data")"#)
            }
            let data = object["data"].map { ByteBuffer(buffer: $0.value.raw) } ?? ByteBuffer()
            return .publish(id: id, ClientEventRequest(name: event, channel: channel, data: data))
        case "refresh":
            guard let token = object["token"]?.value.string, !token.isEmpty else {
                return .invalid(id: id, message: #"refresh needs the new token in a "token" string"#)
            }
            return .refresh(id: id, token: token)
        default:
            return .unsupported(id: id, type: type)
        }
    }
}
