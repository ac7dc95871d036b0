import HeraldConfig
import HeraldDaemonKit
import HeraldWire
import NIOCore

/// `GET /api/ws/info`: what this Herald is and what it offers now, for dashboards and client libraries that
/// probe before connecting. Needs no credentials and says nothing secret. It lists only what is built:
/// `recovery` names the protocols that recover missed events from history (Pusher has none), and presence says
/// it is per edge until it is cluster-wide.
public enum ServiceInfo {
    public static func response(_ settings: IngressSettings) -> IngressResponse {
        var body = ByteBuffer()
        body.writeString(#"{"status":"operational","version":"#)
        body.writeJSONString(HeraldVersion.current)
        body.writeString(#","features":{"protocols":{"native":"/ws","socket.io":"/socket.io/","pusher":"/app/{key}"},"#)
        body.writeString(#""transports":{"native":["websocket"],"socket.io":["websocket","polling"],"#)
        body.writeString(#""pusher":["websocket"]},"#)
        body.writeString(#""publish":["/api/broadcast","/api/events","/api/rooms/{roomId}/events","#)
        body.writeString(#""/apps/{appId}/events","/apps/{appId}/batch_events"],"client_events":["pusher"],"#)
        body.writeString(#""presence":"pusher presence channels, per edge","priority_windows":true,"#)
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
