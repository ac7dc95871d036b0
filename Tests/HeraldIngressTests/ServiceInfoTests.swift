import Foundation
import HeraldConfig
import Testing

@testable import HeraldIngress

/// `/api/ws/info` says what is built: valid JSON, every protocol offering presence and client events, the
/// webhooks Herald sends.
@Suite struct ServiceInfoTests {
    @Test func featuresNameWhatIsBuilt() throws {
        let response = ServiceInfo.response(IngressSettings(HeraldConfiguration()))
        #expect(response.status == .ok)
        let body = try #require(
            try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
        #expect(body["status"] as? String == "operational")
        let features = try #require(body["features"] as? [String: Any])
        let protocols = ["native", "socket.io", "pusher"]
        #expect(features["client_events"] as? [String] == protocols)
        let presence = try #require(features["presence"] as? [String: Any])
        #expect(presence["protocols"] as? [String] == protocols && presence["scope"] as? String == "cluster")
        #expect((features["webhooks"] as? [String])?.count == 7)
        #expect((features["publish"] as? [String])?.contains("/api/rooms/{roomId}/events") == true)
        #expect(features["engine"] as? String == "memory")
    }
}
