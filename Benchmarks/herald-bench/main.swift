import Foundation
import HeraldAuthorizer
import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import HeraldTokens
import HeraldWire
import NIOCore

// Decision costs on one core: token verification at connect, subscribe decisions, the audience check the edge
// makes per connection per event, the stage codec, and the stage requests every client connection costs.
// `make bench` builds this in release mode and runs it; docs/performance.md records the figures and the targets.

let auth = AuthConfig(jwtSecret: "benchmark-secret-of-at-least-32-bytes!!")
let verifier = try await TokenVerifier(auth: auth, cacheCapacity: 1_000)
let tokenCount = 20_000
var tokens: [String] = []
tokens.reserveCapacity(tokenCount)
for n in 0..<tokenCount {
    tokens.append(
        try await TokenIssuer.issue(
            secret: "benchmark-secret-of-at-least-32-bytes!!", subject: String(n), roles: ["member"]))
}

var results: [Measurement] = []
var next = 0
results.append(
    try await Measurement.run("connect: verify a new HS256 token", batch: 100) {
        for _ in 0..<100 {
            _ = try await verifier.verify(tokens[next % tokenCount])
            next += 1
        }
    })
let cached = tokens[0]
results.append(
    try await Measurement.run("connect: verify a cached token", batch: 1_000) {
        for _ in 0..<1_000 { _ = try await verifier.verify(cached) }
    })

let policy = RuleChannelPolicy(channels: ChannelsConfig(), auth: auth, hook: nil)
let member = Principal(userID: "42", roles: ["member"])
let questions = [
    "user.42", "user.43", "thread.456", "forum.7", "products", "product.9", "admin.notifications", "orders",
    "public.lobby", "seller.42", "conversation.5", "user.42.messages",
].map { SubscriptionQuestion(principal: member, channel: $0) }
results.append(
    await Measurement.run("subscribe: decide a channel", batch: 1_200) {
        for _ in 0..<100 {
            for question in questions { _ = await policy.decide(question) }
        }
    })

let audiences = [
    Audience(), Audience(excludeSocketID: "1.2"), Audience(roles: ["admin", "manager", "staff"]),
    Audience(userIDs: ["41", "42"], excludeUserIDs: ["7"]),
]
let principals = [member, Principal(userID: "7", roles: ["staff"]), Principal(userID: "9", roles: ["admin"])]
var admitted = 0
results.append(
    await Measurement.run("fan-out: audience check per connection", batch: 1_200_000) {
        for _ in 0..<100_000 {
            for audience in audiences {
                for principal in principals where audience.admits(principal, socketID: "1.3") { admitted += 1 }
            }
        }
    })

let event = WireEvent(
    id: EventID.generate(), name: "forum.comment.created", channels: ["thread.456"],
    timestamp: "2025-07-17T10:30:00Z", priority: .medium, userID: ByteBuffer(string: "123"),
    data: ByteBuffer(string: #"{"comment":{"id":789,"content":"Great explanation!","author":{"id":123}}}"#),
    metadata: ByteBuffer(string: #"{"version":"1.0","source":"laravel_api"}"#))
var frame = ByteBuffer()
frame.writeWireFrame(.event(event))
let payload = frame.getSlice(at: frame.readerIndex + 4, length: frame.readableBytes - 4)!
results.append(
    await Measurement.run("stage wire: encode an event frame", batch: 10_000) {
        var buffer = ByteBufferAllocator().buffer(capacity: 512)
        for _ in 0..<10_000 {
            buffer.clear()
            buffer.writeWireFrame(.event(event))
        }
    })
var decoded = 0
results.append(
    try await Measurement.run("stage wire: decode an event frame", batch: 10_000) {
        for _ in 0..<10_000 {
            if case .event = try WireMessage.decode(frame: payload) { decoded += 1 }
        }
    })

let principal = Principal(
    userID: "42", roles: ["member"], name: "An", expiresAt: 1_752_748_200, tokenID: "tok-9f2c", channels: ["team.7.*"])
var requestsRead = 0
results.append(
    try await Measurement.run("stage request: encode+decode authorize-connect answer (Principal)", batch: 10_000) {
        for _ in 0..<10_000 {
            let answer = StageRequests.encode(StageRequests.ConnectVerdict(principal: principal))
            let verdict = try StageRequests.decode(StageRequests.ConnectVerdict.self, from: answer)
            requestsRead += verdict.principal.roles.count
        }
    })
let subscribe = StageRequests.AuthorizeSubscribe(
    principal: principal, channel: "team.7.board", socketID: "1538972513.1078442970")
results.append(
    try await Measurement.run("stage request: encode+decode authorize-subscribe request", batch: 10_000) {
        for _ in 0..<10_000 {
            let params = StageRequests.encode(subscribe)
            let ask = try StageRequests.decode(StageRequests.AuthorizeSubscribe.self, from: params)
            requestsRead += ask.principal.roles.count
        }
    })

print("| benchmark | per second (one core) | per operation |")
print("|---|---|---|")
for result in results {
    let each =
        result.nanosecondsEach >= 1_000
        ? String(format: "%.1f µs", result.nanosecondsEach / 1_000) : String(format: "%.0f ns", result.nanosecondsEach)
    print("| \(result.name) | \(Int(result.perSecond).formatted()) | \(each) |")
}
precondition(admitted > 0 && decoded > 0 && requestsRead > 0)
