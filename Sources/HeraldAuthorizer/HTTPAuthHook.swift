import AsyncHTTPClient
import Foundation
import HeraldConfig
import Logging
import NIOCore
import NIOHTTP1

/// The backend authorization hook over HTTP (`auth.hook`): POSTs the question as JSON with
/// `Authorization: Bearer <secret>` and allows only on `200 {"allow": true, …}`. Every other outcome — another
/// status, `allow` false or missing, a body that is not JSON, no answer within the timeout, a refused
/// connection — is a deny that says which.
public struct HTTPAuthHook: AuthorizationHook {
    /// Answers larger than this are not read; the backend answers `{"allow": …, "info": {…}}`.
    static let maxAnswerBytes = 64 * 1024

    let url: String
    let secret: String?
    let timeout: Duration
    let client: HTTPClient
    let logger: Logger

    public init(url: String, secret: String?, timeout: Duration, client: HTTPClient = .shared, logger: Logger) {
        self.url = url
        self.secret = secret
        self.timeout = timeout
        self.client = client
        self.logger = logger
    }

    /// The hook `auth.hook` describes, cached and coalesced, or `nil` when no URL is set.
    public static func configured(_ config: AuthHookConfig, logger: Logger) -> (any AuthorizationHook)? {
        uncached(config, logger: logger).map { CachingAuthHook($0, cacheSeconds: config.cacheSeconds) }
    }

    /// The hook `auth.hook` describes, without a cache, or `nil` when no URL is set.
    static func uncached(_ config: AuthHookConfig, logger: Logger) -> HTTPAuthHook? {
        config.url.map {
            HTTPAuthHook(
                url: $0, secret: config.secret, timeout: .milliseconds(config.timeoutMilliseconds), logger: logger)
        }
    }

    public func ask(_ question: HookQuestion) async -> HookAnswer {
        let answer = await answered(
            within: .deny("the auth hook did not answer within \(timeout.milliseconds) ms"),
            unreachable: { .deny("the auth hook at \(url) could not be reached: \($0)") }
        ) { try await post(question) }
        if case .deny(let why) = answer {
            logger.info(
                "auth hook denied a subscription",
                metadata: ["herald.channel": "\(question.channel)", "herald.user": "\(question.user)", "why": "\(why)"])
        }
        return answer
    }

    /// What `ask` answers: the first of the hook's answer and the timeout; a failure to reach the hook is
    /// `unreachable`, told why.
    func answered<Answer: Sendable>(
        within timedOut: Answer, unreachable: (String) -> Answer,
        _ ask: @escaping @Sendable () async throws -> Answer
    ) async -> Answer {
        do {
            return try await withThrowingTaskGroup(of: Answer?.self) { group in
                group.addTask { try await ask() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first ?? timedOut
            }
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return timedOut
        } catch {
            return unreachable(Self.describe(error))
        }
    }

    /// POSTs `question` as JSON with the hook's `Authorization`, within the timeout.
    func send(_ question: some Encodable) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let secret { request.headers.add(name: "Authorization", value: "Bearer \(secret)") }
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(question)))
        return try await client.execute(request, timeout: .nanoseconds(Int64(timeout.nanoseconds)))
    }

    private func post(_ question: HookQuestion) async throws -> HookAnswer {
        let response = try await send(question)
        guard response.status == .ok else {
            return .deny("the auth hook answered HTTP \(response.status.code)")
        }
        let body = try await response.body.collect(upTo: Self.maxAnswerBytes)
        return Self.interpret(Data(body.readableBytesView))
    }

    /// The `allow` key of an answer; `JSONDecoder` takes only a JSON boolean, not `1` or `"true"`.
    private struct Verdict: Decodable {
        let allow: Bool?
    }

    /// A 200 body: allows only when it is a JSON object whose `allow` is `true`.
    static func interpret(_ body: Data) -> HookAnswer {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let verdict = try? JSONDecoder().decode(Verdict.self, from: body)
        else {
            return .deny("the auth hook's answer is not a JSON object with a boolean allow")
        }
        guard verdict.allow == true else { return .deny("the auth hook answered allow: false") }
        var info: String?
        if let value = object["info"], JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        {
            info = String(decoding: data, as: UTF8.self)
        }
        return .allow(info: info)
    }

    static func describe(_ error: any Error) -> String {
        if let client = error as? HTTPClientError { return "\(client)" }
        return String(describing: type(of: error))
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
