import HeraldAdmin
import HeraldDaemonKit
import NIOCore

extension EdgeService {
    public func statusLine() async -> String {
        let connections = runtime.registry.snapshot.total
        let channels = (try? await runtime.hub.loop.submit { self.runtime.hub.table.channelCount }.get()) ?? 0
        let batcher = await runtime.hub.batcher.snapshot()
        return "connections \(connections), channels \(channels), batcher \(batcher.connected ? "up" : "down")"
    }

    public func stats() async -> AdminValue {
        let connections = runtime.registry.snapshot
        let hub = runtime.hub
        let (counters, channels, subscriptions) =
            (try? await hub.loop.submit { (hub.counters, hub.table.channelCount, hub.table.subscriptionCount) }.get())
            ?? (ChannelHub.Counters(), 0, 0)
        var framesOut: Int64 = 0
        for shard in runtime.shards {
            framesOut += Int64((try? await shard.loop.submit { shard.framesOut }.get()) ?? 0)
        }
        let authorizer = await runtime.authorizer.snapshot()
        let batcher = await hub.batcher.snapshot()
        return [
            "connections": [
                "total": .int(Int64(connections.total)), "authenticated": .int(Int64(connections.authenticated)),
                "by_role": .object(connections.byRole.mapValues { .int(Int64($0)) }),
            ],
            "subscriptions": .int(Int64(subscriptions)), "channels": .int(Int64(channels)),
            "deliveries": .int(Int64(counters.deliveries)), "duplicates_dropped": .int(Int64(counters.duplicates)),
            "unrouted": .int(Int64(counters.unrouted)), "frames_out": .int(framesOut),
            "interest_requests": .int(Int64(counters.interestRequests)),
            "interest_failures": .int(Int64(counters.interestFailures)),
            "links": ["authorizer": Self.describe(authorizer), "batcher": Self.describe(batcher)],
        ]
    }

    public func health() async -> AdminValue {
        let authorizer = await runtime.authorizer.snapshot()
        let batcher = await runtime.hub.batcher.snapshot()
        return [
            "status": authorizer.connected && batcher.connected ? "ok" : "degraded",
            "authorizer": authorizer.connected ? "up" : "down", "batcher": batcher.connected ? "up" : "down",
        ]
    }

    private static func describe(_ link: UpstreamLink.Snapshot) -> AdminValue {
        ["connected": .bool(link.connected), "pending_requests": .int(Int64(link.pendingRequests))]
    }
}
