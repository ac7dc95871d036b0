import HeraldAdmin
import HeraldDaemonKit
import HeraldWire
import NIOCore
import NIOHTTP1

/// `GET /health`: asks every other stage's admin socket for `health`, all at once, each with a short timeout,
/// and answers 200 when all are up or 503 naming the stages that are down.
public struct PipelineHealth: Sendable {
    public let runtime: RuntimeDirectory
    public let group: any EventLoopGroup
    /// How long one stage may take to answer before it counts as down.
    public var timeout: Duration

    public init(runtime: RuntimeDirectory, group: any EventLoopGroup, timeout: Duration = .seconds(1)) {
        self.runtime = runtime
        self.group = group
        self.timeout = timeout
    }

    /// Whether each stage answered, in pipeline order; ingress is up since it is the one asking.
    public func check() async -> [(stage: Stage, up: Bool)] {
        let others = Stage.allCases.filter { $0 != .ingress }
        let answers = await withTaskGroup(of: (Stage, Bool).self) { tasks in
            for stage in others {
                tasks.addTask {
                    let health = try? await AdminClient.call(
                        socketPath: runtime.adminSocket(of: stage.rawValue), method: "health", timeout: timeout,
                        group: group)
                    return (stage, health.map(Self.isUp) ?? false)
                }
            }
            var answers: [Stage: Bool] = [:]
            for await (stage, up) in tasks { answers[stage] = up }
            return answers
        }
        return Stage.allCases.map { ($0, $0 == .ingress ? true : answers[$0] ?? false) }
    }

    /// A stage that answers is up unless it says otherwise (`"status"` other than `"ok"`).
    static func isUp(_ health: AdminValue) -> Bool {
        guard let status = health["status"]?.stringValue else { return true }
        return status == "ok"
    }

    /// `{"status":"ok","stages":{…}}` with 200, or `{"status":"degraded","stages":{…},"down":[…]}` with 503.
    public static func response(_ stages: [(stage: Stage, up: Bool)]) -> IngressResponse {
        let down = stages.filter { !$0.up }.map(\.stage.rawValue)
        var body = ByteBuffer()
        body.writeString(down.isEmpty ? #"{"status":"ok","stages":{"# : #"{"status":"degraded","stages":{"#)
        for (index, entry) in stages.enumerated() {
            if index > 0 { body.writeString(",") }
            body.writeJSONString(entry.stage.rawValue)
            body.writeString(entry.up ? #":"up""# : #":"down""#)
        }
        body.writeString("}")
        if !down.isEmpty {
            body.writeString(#","down":["#)
            for (index, stage) in down.enumerated() {
                if index > 0 { body.writeString(",") }
                body.writeJSONString(stage)
            }
            body.writeString("]")
        }
        body.writeString("}")
        return IngressResponse(status: down.isEmpty ? .ok : .serviceUnavailable, body: body)
    }
}
