import HeraldConfig
import HeraldDaemonKit
import HeraldWire
import NIOCore

/// `GET /api/ws/info`: what this Herald is and what it offers, for dashboards and client libraries that probe
/// before connecting. Needs no credentials and says nothing secret.
public enum ServiceInfo {
    public static func response(_ settings: IngressSettings) -> IngressResponse {
        var body = ByteBuffer()
        body.writeString(#"{"status":"operational","version":"#)
        body.writeJSONString(HeraldVersion.current)
        body.writeString(#","features":{"protocols":["native","socket.io","pusher"],"#)
        body.writeString(#""publish":["/api/broadcast","/api/events"],"priorities":["high","medium","low"],"#)
        body.writeString(#""batching":true,"presence":true,"history":true,"engine":"#)
        body.writeJSONString(settings.engine.rawValue)
        body.writeString(#","max_body_bytes":"#)
        body.writeJSONNumber(settings.maxBodyBytes)
        body.writeString(#","max_batch_events":"#)
        body.writeJSONNumber(PublishRequestParser.maximumBatch)
        body.writeString("}}")
        return IngressResponse(status: .ok, body: body)
    }
}
