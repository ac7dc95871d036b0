import HeraldAppSigning
import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import NIOCore
import NIOHTTP1
import Testing

@testable import HeraldIngress

@Suite("Pusher channel-state and terminate_connections requests")
struct PusherQueryTests {
    static let now = PusherPlanTests.now
    static let lottery = PusherPlanTests.lottery

    var settings: IngressSettings {
        var settings = IngressSettings(HeraldConfiguration())
        settings.pusherAuthenticator.now = { Self.now }
        return settings
    }

    /// A GET signed as Pusher's libraries sign it: `body_md5` of the empty body among the parameters.
    static func signed(
        _ method: String, _ path: String, body: [UInt8] = [], extra: [QueryParameter] = []
    ) -> String {
        let parameters = RequestSignature.signedParameters(
            method: method, path: path, parameters: extra, body: body, credentials: lottery, timestamp: now)
        let query = parameters.map { "\(PusherPlanTests.encode($0.name))=\(PusherPlanTests.encode($0.value))" }
        return "\(path)?\(query.joined(separator: "&"))"
    }

    func plan(_ uri: String, method: HTTPMethod = .GET) -> RequestPlan {
        IngressAPI.plan(HTTPRequestHead(version: .http1_1, method: method, uri: uri), settings: settings)
    }

    func question(_ plan: RequestPlan) -> PusherQuery.Question? {
        guard case .pusherQuery(let query) = plan else { return nil }
        return query.question
    }

    func refusal(_ plan: RequestPlan) -> (status: UInt, body: String)? {
        guard case .respond(let response) = plan else { return nil }
        return (response.status.code, String(buffer: response.body))
    }

    // MARK: Routes

    @Test func theNewPathsRouteToQueries() {
        #expect(
            Route.match(method: .GET, uri: "/apps/1/channels?x=1") == .route(.pusherQuery(appID: "1", .channels)))
        #expect(
            Route.match(method: .GET, uri: "/apps/1/channels/presence-a")
                == .route(.pusherQuery(appID: "1", .channel("presence-a"))))
        #expect(
            Route.match(method: .GET, uri: "/apps/1/channels/presence-a/users")
                == .route(.pusherQuery(appID: "1", .users(channel: "presence-a"))))
        #expect(
            Route.match(method: .POST, uri: "/apps/1/users/u1/terminate_connections")
                == .route(.pusherQuery(appID: "1", .terminateConnections(userID: "u1"))))
        #expect(
            Route.match(method: .POST, uri: "/users/u1/terminate_connections")
                == .route(.pusherQuery(appID: nil, .terminateConnections(userID: "u1"))))
        #expect(
            Route.match(method: .POST, uri: "/apps/1/channels")
                == .methodNotAllowed(path: "/apps/1/channels", allowed: [.GET]))
    }

    // MARK: Signatures

    @Test func aSignedChannelsListIsPlanned() {
        #expect(
            question(plan(Self.signed("GET", "/apps/lottery/channels"))) == .channels(prefix: nil, userCount: false))
    }

    @Test func aWrongSignatureIsRefusedBeforeTheParameters() {
        let parameters = RequestSignature.signedParameters(
            method: "GET", path: "/apps/lottery/channels", parameters: [QueryParameter("info", "user_count")],
            body: [], credentials: AppCredentials(key: Self.lottery.key, secret: "not-the-secret"), timestamp: Self.now)
        let query = parameters.map { "\($0.name)=\(PusherPlanTests.encode($0.value))" }.joined(separator: "&")
        #expect(refusal(plan("/apps/lottery/channels?\(query)"))?.status == 401)
        #expect(refusal(plan(Self.signed("GET", "/apps/nope/channels")))?.status == 401)
    }

    @Test func terminateWithoutTheAppIDFindsTheAppByItsKey() throws {
        let uri = Self.signed("POST", "/users/7/terminate_connections", body: Array("{}".utf8))
        guard case .pusherQuery(let query) = plan(uri, method: .POST) else {
            Issue.record("a terminate signed with the lottery key should be planned")
            return
        }
        #expect(query.appID == "lottery")
        #expect(query.question == .terminateConnections(userID: "7"))
        try query.verifyBody(Array("{}".utf8))
        #expect(throws: HeraldError.self) { try query.verifyBody(Array(#"{"x":1}"#.utf8)) }
    }

    @Test func terminateWithAnUnknownKeyIsRefused() {
        let parameters = RequestSignature.signedParameters(
            method: "POST", path: "/users/7/terminate_connections", parameters: [], body: Array("{}".utf8),
            credentials: AppCredentials(key: "other-key", secret: "x"), timestamp: Self.now)
        let query = parameters.map { "\($0.name)=\(PusherPlanTests.encode($0.value))" }.joined(separator: "&")
        let answer = refusal(plan("/users/7/terminate_connections?\(query)", method: .POST))
        #expect(answer?.status == 401)
        #expect(answer?.body.contains("auth_key") == true)
    }

    // MARK: Parameters

    @Test func userCountOnTheListNeedsThePresencePrefix() throws {
        let info = QueryParameter("info", "user_count")
        #expect(
            try PusherQuery.question(
                for: .channels, parameters: [info, QueryParameter("filter_by_prefix", "presence-")])
                == .channels(prefix: "presence-", userCount: true))
        for parameters in [[info], [info, QueryParameter("filter_by_prefix", "private-")]] {
            #expect(throws: HeraldError.self) { try PusherQuery.question(for: .channels, parameters: parameters) }
        }
        let planned = refusal(plan(Self.signed("GET", "/apps/lottery/channels", extra: [info])))
        #expect(planned?.status == 400)
        #expect(planned?.body.contains("filter_by_prefix=presence-") == true)
    }

    @Test func channelInfoTakesSubscriptionCountAnywhereAndUserCountOnPresenceOnly() throws {
        let both = [QueryParameter("info", "user_count,subscription_count")]
        #expect(
            try PusherQuery.question(for: .channel("presence-room"), parameters: both)
                == .channel("presence-room", subscriptionCount: true, userCount: true))
        #expect(
            try PusherQuery.question(
                for: .channel("orders"), parameters: [QueryParameter("info", "subscription_count")])
                == .channel("orders", subscriptionCount: true, userCount: false))
        #expect(throws: HeraldError.self) { try PusherQuery.question(for: .channel("orders"), parameters: both) }
        #expect(throws: HeraldError.self) {
            try PusherQuery.question(for: .channel("orders"), parameters: [QueryParameter("info", "colour")])
        }
    }

    @Test func usersAreListedForPresenceChannelsOnly() throws {
        #expect(
            try PusherQuery.question(for: .users(channel: "presence-a"), parameters: [])
                == .users(channel: "presence-a"))
        #expect(throws: HeraldError.self) { try PusherQuery.question(for: .users(channel: "orders"), parameters: []) }
    }

    // MARK: Stage requests and answers

    @Test func questionsBecomeStageRequests() throws {
        let list = PusherQuery.Question.channels(prefix: "presence-", userCount: true).stageRequest
        #expect(list.method == StageRequests.channelsQuery)
        #expect(String(buffer: list.params) == #"{"prefix":"presence-","users":true}"#)
        let terminate = PusherQuery.Question.terminateConnections(userID: "7").stageRequest
        #expect(terminate.method == StageRequests.terminateUser)
        #expect(String(buffer: terminate.params) == #"{"user_id":"7"}"#)
    }

    @Test func mergedAnswersRenderAsPusherDoes() throws {
        let states = StageRequests.encode(
            StageRequests.ChannelStates(channels: [
                "presence-b": .init(subscriptionCount: 4, users: ["1", "2", "3"]),
                "presence-a": .init(subscriptionCount: 1, users: ["9"]),
            ]))
        func body(_ question: PusherQuery.Question) throws -> String {
            let response = try question.response(to: states)
            #expect(response.status == .ok)
            return String(buffer: response.body)
        }
        #expect(
            try body(.channels(prefix: "presence-", userCount: true))
                == #"{"channels":{"presence-a":{"user_count":1},"presence-b":{"user_count":3}}}"#)
        #expect(
            try body(.channels(prefix: nil, userCount: false)) == #"{"channels":{"presence-a":{},"presence-b":{}}}"#)
        #expect(
            try body(.channel("presence-b", subscriptionCount: true, userCount: true))
                == #"{"occupied":true,"subscription_count":4,"user_count":3}"#)
        #expect(try body(.channel("presence-b", subscriptionCount: false, userCount: false)) == #"{"occupied":true}"#)
        #expect(try body(.channel("presence-z", subscriptionCount: true, userCount: true)) == #"{"occupied":false}"#)
        #expect(try body(.users(channel: "presence-b")) == #"{"users":[{"id":"1"},{"id":"2"},{"id":"3"}]}"#)
        #expect(try body(.users(channel: "presence-z")) == #"{"users":[]}"#)
        let terminated = StageRequests.encode(StageRequests.TerminatedConnections(connections: 2))
        #expect(
            String(buffer: try PusherQuery.Question.terminateConnections(userID: "7").response(to: terminated).body)
                == "{}")
    }
}
