import AsyncHTTPClient
import HeraldAppSigning
import HeraldConfig
import Logging
import NIOCore
import NIOHTTP1

/// Sends the Pusher-format webhooks (`apps[].webhooks`): one `WebhookQueue` per app and URL, driven by a timer on
/// the batcher's loop, and the POSTs over HTTP. `emit` only appends to the queues; every POST runs on the HTTP
/// client's own loops and reports back, so a slow or dead receiver never holds up a delivery to clients.
///
/// Confined to `loop`: call `emit` there.
public final class WebhookDispatcher {
    /// How long one POST may take, connecting included.
    public static let postTimeout: TimeAmount = .seconds(5)
    /// At most one overflow warning per target in this many milliseconds.
    static let overflowLogInterval: Int64 = 10_000

    /// One URL of one app: the key and secret its bodies are signed with, and its queue.
    struct Target {
        let appID: String
        let key: String
        let secret: String
        let url: String
        var queue: WebhookQueue
        var overflowLoggedAt: Int64?
        var overflowLogged = 0
    }

    private let loop: any EventLoop
    private let client: HTTPClient
    private let logger: Logger
    private let now: () -> Int64
    private var targets: [Target]
    private var timer: Scheduled<Void>?
    private var timerDeadline: Int64?

    /// `now` gives milliseconds since the epoch: each body's `time_ms`, and the batching and retry times.
    init(
        apps: [AppConfig], loop: any EventLoop, client: HTTPClient, logger: Logger,
        policy: WebhookQueue.Policy = WebhookQueue.Policy(), now: @escaping () -> Int64
    ) {
        self.loop = loop
        self.client = client
        self.logger = logger
        self.now = now
        self.targets = apps.flatMap { app in
            app.webhooks.map { url in
                Target(
                    appID: app.id, key: app.key, secret: app.secret, url: url, queue: WebhookQueue(policy: policy))
            }
        }
    }

    /// An HTTP client for webhooks on `group`: redirects are not followed (a 3xx is a failed POST).
    static func makeClient(on group: any EventLoopGroup) -> HTTPClient {
        HTTPClient(
            eventLoopGroup: group,
            configuration: HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: HTTPClient.Configuration.Timeout(connect: postTimeout, read: postTimeout)))
    }

    /// Whether any app has a webhook URL.
    public var isEnabled: Bool { !targets.isEmpty }

    /// Queues `events`, in this order, for every webhook URL of every app, or of the app `appID` only. They go
    /// out in the next batch. Each call site generates an event once: retries resend batches, not events.
    public func emit(_ events: [WebhookEvent], toApp appID: String? = nil) {
        guard !events.isEmpty, !targets.isEmpty else { return }
        let stamp = now()
        for index in targets.indices where appID == nil || targets[index].appID == appID {
            targets[index].queue.enqueue(events, now: stamp)
        }
        pump()
    }

    /// Everything the queues say is due, then the timer for the next.
    private func pump() {
        let stamp = now()
        for index in targets.indices {
            while let post = targets[index].queue.due(now: stamp) { send(post, to: index) }
            noteOverflow(of: index, now: stamp)
        }
        schedule()
    }

    private func schedule() {
        let deadline = targets.compactMap(\.queue.nextDeadline).min()
        guard deadline != timerDeadline else { return }
        timer?.cancel()
        timer = nil
        timerDeadline = deadline
        guard let deadline else { return }
        let delay = max(deadline - now(), 0)
        timer = loop.assumeIsolated().scheduleTask(in: .milliseconds(delay)) { [self] in
            timer = nil
            timerDeadline = nil
            pump()
        }
    }

    // MARK: HTTP

    private func send(_ post: WebhookQueue.Post, to index: Int) {
        let target = targets[index]
        let body = post.batch.body
        let finished: EventLoopFuture<UInt>
        do {
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: WebhookSignature.keyHeader, value: target.key)
            headers.add(
                name: WebhookSignature.signatureHeader,
                value: WebhookSignature.sign(body: body.readableBytesView, secret: target.secret))
            let request = try HTTPClient.Request(
                url: target.url, method: .POST, headers: headers, body: .byteBuffer(body))
            finished =
                client.execute(
                    request: request, delegate: WebhookAnswer(), deadline: .now() + Self.postTimeout
                ).futureResult
        } catch {
            finished = loop.makeFailedFuture(error)
        }
        finished.hop(to: loop).assumeIsolated().whenComplete { [self] result in
            let outcome: WebhookQueue.PostResult
            switch result {
            case .success(let status) where (200..<300).contains(status): outcome = .delivered
            case .success(let status): outcome = .failed("HTTP \(status)")
            case .failure(let error): outcome = .failed(Self.describe(error))
            }
            finish(post, at: index, outcome)
        }
    }

    private func finish(_ post: WebhookQueue.Post, at index: Int, _ result: WebhookQueue.PostResult) {
        let target = targets[index]
        let reason: String
        if case .failed(let why) = result { reason = why } else { reason = "" }
        switch targets[index].queue.postFinished(result, now: now()) {
        case .delivered(let batch, let attempts):
            logger.debug(
                "webhook delivered",
                metadata: metadata(target, batch, ["herald.webhook.attempts": "\(attempts)"]))
        case .willRetry(let batch, let attempt, let at):
            logger.info(
                "webhook POST failed; it is sent again with the same body",
                metadata: metadata(
                    target, batch,
                    [
                        "herald.webhook.attempt": "\(attempt)", "herald.webhook.retry_in_ms": "\(at - now())",
                        "herald.error": "\(reason)",
                    ]))
        case .gaveUp(let batch, let attempts):
            logger.warning(
                "webhook dropped after its last attempt failed",
                metadata: metadata(
                    target, batch, ["herald.webhook.attempts": "\(attempts)", "herald.error": "\(reason)"]))
        case nil:
            break
        }
        pump()
    }

    private func noteOverflow(of index: Int, now stamp: Int64) {
        let dropped = targets[index].queue.counters.overflowEvents
        guard dropped > targets[index].overflowLogged else { return }
        if let last = targets[index].overflowLoggedAt, stamp - last < Self.overflowLogInterval { return }
        targets[index].overflowLoggedAt = stamp
        targets[index].overflowLogged = dropped
        let target = targets[index]
        logger.warning(
            "webhook queue is full; new events for this URL are dropped until it drains",
            metadata: [
                "herald.app.id": "\(target.appID)", "herald.webhook.url": "\(target.url)",
                "herald.webhook.dropped_events": "\(dropped)",
                "herald.webhook.waiting_batches": "\(target.queue.waitingBatches)",
            ])
    }

    private func metadata(_ target: Target, _ batch: WebhookQueue.Batch, _ extra: Logger.Metadata) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "herald.app.id": "\(target.appID)", "herald.webhook.url": "\(target.url)",
            "herald.webhook.batch": "\(batch.number)", "herald.webhook.events": "\(batch.eventCount)",
        ]
        metadata.merge(extra) { $1 }
        return metadata
    }

    static func describe(_ error: any Error) -> String {
        if let client = error as? HTTPClientError {
            if client == .deadlineExceeded || client == .readTimeout || client == .connectTimeout {
                return "no answer within \(postTimeout.nanoseconds / 1_000_000) ms"
            }
            return "\(client)"
        }
        if let channel = error as? ChannelError { return "\(channel)" }
        return "\(error)"
    }

    // MARK: Counters

    /// Every target's counters, summed.
    var counters: WebhookQueue.Counters {
        targets.reduce(into: WebhookQueue.Counters()) { sum, target in
            let c = target.queue.counters
            sum.posts += c.posts
            sum.failedPosts += c.failedPosts
            sum.deliveredBatches += c.deliveredBatches
            sum.deliveredEvents += c.deliveredEvents
            sum.abandonedBatches += c.abandonedBatches
            sum.abandonedEvents += c.abandonedEvents
            sum.overflowBatches += c.overflowBatches
            sum.overflowEvents += c.overflowEvents
        }
    }
}
