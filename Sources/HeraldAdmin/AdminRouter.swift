import HeraldModel

/// The methods a daemon answers on its admin socket. Every daemon has `info`, `health` and `stats`; stages
/// add their own.
public struct AdminRouter: Sendable {
    public typealias Method = @Sendable (_ args: [String: AdminValue]) async throws -> AdminValue

    private var methods: [String: Method] = [:]

    public init() {}

    public mutating func register(_ name: String, _ method: @escaping Method) {
        methods[name] = method
    }

    public var methodNames: [String] { methods.keys.sorted() }

    public func respond(to request: AdminRequest) async -> AdminResponse {
        guard let method = methods[request.method] else {
            let known = methodNames.joined(separator: ", ")
            return AdminResponse(
                id: request.id,
                error: .init(
                    code: .notFound, message: "unknown method '\(request.method)'; this daemon answers: \(known)")
            )
        }
        do {
            return AdminResponse(id: request.id, result: try await method(request.args))
        } catch let error as HeraldError {
            return AdminResponse(id: request.id, error: .init(code: error.code, message: error.message))
        } catch let error as AdminResponse.Failure {
            return AdminResponse(id: request.id, error: error)
        } catch {
            return AdminResponse(id: request.id, error: .init(code: .internal, message: "\(error)"))
        }
    }
}
