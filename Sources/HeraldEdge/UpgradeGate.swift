import HeraldModel
import HeraldWire
import Logging
import NIOCore
import NIOHTTP1

/// Decides one connection's upgrade request (`NIOWebSocketServerUpgrader.shouldUpgrade`): the path names a
/// protocol, the origin is allowed, the client's IP is within its attempts per minute, the edge has room, and a token in the URL or header is good. A refusal is
/// kept here for `HTTPRefusalHandler`, which answers it with the right status and a JSON body.
///
/// Confined to the connection's event loop.
final class UpgradeGate: @unchecked Sendable {
    let connection: EdgeConnection
    let runtime: EdgeRuntime
    let settings: EdgeSettings
    /// Set when the upgrade is refused.
    private(set) var refusal: UpgradeRefusal?
    /// Set when the request carried a good token.
    private(set) var principal: Principal?
    /// The upgrade request, once routed.
    private(set) var request: ConnectionRequest?
    /// Set when the edge is full and the protocol refuses in band: the session says this and closes.
    private(set) var overCapacity: String?
    /// The long-polling session this upgrade moves to WebSocket, if it names one.
    private(set) var attaching: PollingSession?
    /// Whether the path named one of the edge's protocols (a plain GET there gets 426, elsewhere 404).
    private(set) var protocolIndex: Int?

    init(connection: EdgeConnection, runtime: EdgeRuntime, settings: EdgeSettings) {
        self.connection = connection
        self.runtime = runtime
        self.settings = settings
    }

    /// Notes which protocol a request's path names, upgrade or not.
    func route(_ head: HTTPRequestHead) -> ConnectionRequest {
        let request = ConnectionRequest(uri: head.uri, headers: head.headers)
        protocolIndex = runtime.protocols.firstIndex { $0.serves(path: request.path) }
        self.request = request
        return request
    }

    /// Decides the upgrade request `head` from the client at `client`.
    func shouldUpgrade(_ head: HTTPRequestHead, from client: SocketAddress?) -> EventLoopFuture<HTTPHeaders?> {
        let loop = connection.loop
        let request = route(head)
        guard let protocolIndex else {
            return refuse(.notFound, "no WebSocket endpoint at \(request.path); \(Self.endpoints)")
        }
        guard settings.origins.allows(request.origin) else {
            return refuse(.permissionDenied, "origin \(request.origin ?? "") is not in edge.allowed_origins")
        }
        let clientProtocol = runtime.protocols[protocolIndex]
        if let style = clientProtocol.longPolling, let id = style.sessionID(of: request) {
            if case .refuse(let refusal) = clientProtocol.admit(request) {
                self.refusal = refusal
                return loop.makeSucceededFuture(nil)
            }
            guard let session = runtime.polling.session(id) else {
                return refuse(.invalidPayload, "Session ID unknown: no long-polling session \(id) to upgrade")
            }
            attaching = session
            return loop.makeSucceededFuture(HTTPHeaders())
        }
        if let refused = runtime.attempts.admit(from: client, limit: settings.connectionAttemptsPerIP) {
            refusal = refused
            return loop.makeSucceededFuture(nil)
        }
        guard runtime.registry.reserve(limit: settings.connectionsPerEdge) else {
            let message =
                "CONNECTION_LIMIT: this edge holds its maximum of \(settings.connectionsPerEdge) connections; retry later"
            guard runtime.protocols[protocolIndex].refusesInBand else { return refuse(.connectionLimit, message) }
            // The protocol's clients understand only its own refusal: upgrade, and let the session say it.
            overCapacity = message
            return loop.makeSucceededFuture(HTTPHeaders())
        }
        connection.holdsPlace = true
        let token: String?
        switch runtime.protocols[protocolIndex].admit(request) {
        case .refuse(let refusal):
            self.refusal = refusal
            return loop.makeSucceededFuture(nil)
        case .upgrade(let presented):
            token = presented
        }
        guard let token else { return loop.makeSucceededFuture(HTTPHeaders()) }
        guard !token.isEmpty else { return refuse(.authenticationFailed, "the token is empty") }
        return runtime.authorizeConnect(token: token, connection: connection).hop(to: loop).map {
            principal -> HTTPHeaders? in
            self.principal = principal
            return HTTPHeaders()
        }.recover { error -> HTTPHeaders? in
            let refusal = UpgradeRefusal(verdict: WireFailure(error))
            self.refusal = refusal
            self.runtime.logger.info(
                "refused a connection's token",
                metadata: ["herald.conn.id": "\(self.connection.id)", "herald.error.code": "\(refusal.code.rawValue)"])
            return nil
        }
    }

    /// Where the WebSocket endpoints are, for refusals.
    static let endpoints = "WebSocket endpoints: /ws (native), /socket.io/ (Socket.IO), /app/{key} (Pusher)"

    private func refuse(_ code: ErrorCode, _ message: String) -> EventLoopFuture<HTTPHeaders?> {
        refusal = UpgradeRefusal(code, message)
        return connection.loop.makeSucceededFuture(nil)
    }
}
