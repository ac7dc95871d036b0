/// The four stages of the pipeline, with the sockets each is handed (docs/architecture.md).
public enum Stage: String, Sendable, CaseIterable, Codable {
    case ingress
    case authorizer
    case batcher
    case wsEdge = "ws-edge"

    /// The executable and unit name (`herald-ingress`).
    public var executable: String { "herald-\(rawValue)" }

    /// The data sockets, by `FileDescriptorName=`; every stage also has `admin`.
    public var dataSockets: [String] {
        switch self {
        case .ingress: ["http"]
        case .authorizer, .batcher: ["input"]
        case .wsEdge: ["websocket"]
        }
    }

    public var allSockets: [String] { dataSockets + ["admin"] }
}
