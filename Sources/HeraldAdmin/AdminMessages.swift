import HeraldModel

/// `{id, method, args}` — one request on a daemon's admin socket.
public struct AdminRequest: Sendable, Codable, Equatable {
    public var id: UInt64
    public var method: String
    public var args: [String: AdminValue]

    public init(id: UInt64, method: String, args: [String: AdminValue] = [:]) {
        self.id = id
        self.method = method
        self.args = args
    }

    enum CodingKeys: String, CodingKey { case id, method, args }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UInt64.self, forKey: .id)
        method = try container.decode(String.self, forKey: .method)
        args = try container.decodeIfPresent([String: AdminValue].self, forKey: .args) ?? [:]
    }
}

/// `{id, result}` or `{id, error: {code, message}}` — the one answer to an admin request.
public struct AdminResponse: Sendable, Codable, Equatable {
    public struct Failure: Sendable, Codable, Equatable, Error {
        public var code: String
        public var message: String
        public init(code: ErrorCode, message: String) {
            self.code = code.rawValue
            self.message = message
        }
    }

    public var id: UInt64
    public var result: AdminValue?
    public var error: Failure?

    public init(id: UInt64, result: AdminValue) {
        self.id = id
        self.result = result
    }

    public init(id: UInt64, error: Failure) {
        self.id = id
        self.error = error
    }
}
