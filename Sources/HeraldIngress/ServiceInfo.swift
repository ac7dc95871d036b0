import HeraldConfig
import HeraldDaemonKit
import HeraldWire
import NIOCore

/// `GET /api/ws/info`: what this Herald is and what it offers now, for dashboards and client libraries that
/// probe before connecting. Needs no credentials and says nothing secret. It lists only what is built:
/// `recovery` names the protocols that recover missed events from history (Pusher has none); presence, client
/// events (with typing indicators and calls to an app's backend) are offered in every protocol; presence is kept
/// across every edge; the webhook names are those Herald sends.
public enum ServiceInfo {
    public static func response(_ settings: IngressSettings) -> IngressResponse {
        var body = ByteBuffer()
        body.writeString(#"{"status":"operational","version":"#)
        body.writeJSONString(HeraldVersion.current)
        body.writeString(#","features":{"protocols":{"native":"/ws","socket.io":"/socket.io/","pusher":"/app/{key}"},"#)
        body.writeString(#""transports":{"native":["websocket"],"socket.io":["websocket","polling"],"#)
        body.writeString(#""pusher":["websocket"]},"#)
        body.writeString(#""publish":["/api/broadcast","/api/events","/api/rooms/{roomId}/events","#)
        body.writeString(#""/apps/{appId}/events","/apps/{appId}/batch_events"],"#)
        body.writeString(#""client_events":["native","socket.io","pusher"],"typing":true,"#)
        body.writeString(#""rpc":["native","socket.io"],"#)
        body.writeString(#""presence":{"protocols":["native","socket.io","pusher"],"scope":"cluster"},"#)
        body.writeString(#""webhooks":["channel_occupied","channel_vacated","member_added","member_removed","#)
        body.writeString(#""client_event","user_online","user_offline"],"priority_windows":true,"#)
        body.writeString(#""recovery":["native","socket.io"],"engine":"#)
        body.writeJSONString(settings.engine.rawValue)
        body.writeString(#","max_body_bytes":"#)
        body.writeJSONNumber(settings.maxBodyBytes)
        body.writeString(#","max_batch_events":"#)
        body.writeJSONNumber(PublishRequestParser.maximumBatch)
        body.writeString("}}")
        return IngressResponse(status: .ok, body: body)
    }
}
