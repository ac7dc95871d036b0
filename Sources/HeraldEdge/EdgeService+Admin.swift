import HeraldAdmin
import HeraldDaemonKit
import NIOCore

extension EdgeService {
    public func statusLine() async -> String {
        let connections = runtime.registry.snapshot.total
        let hub = runtime.hub
        let channels = (try? await hub.loop.submit { hub.table.channelCount }.get()) ?? 0
        let batcher = await hub.batcher.snapshot()
        return "connections \(connections), channels \(channels), batcher \(batcher.connected ? "up" : "down")"
    }

    public func stats() async -> AdminValue {
        let hub = runtime.hub
        let fanOut = (try? await hub.loop.submit { FanOutStats(hub) }.get()) ?? FanOutStats()
        var shards = ShardStats()
        for shard in runtime.shards {
            shards.add((try? await shard.loop.submit { ShardStats(shard) }.get()) ?? ShardStats())
        }
        let connections = runtime.registry.snapshot
        let byRole = connections.byRole.mapValues { AdminValue.int(Int64($0)) }
        let authorizer = await runtime.authorizer.snapshot()
        let batcher = await hub.batcher.snapshot()
        var stats: [String: AdminValue] = [:]
        stats["connections"] = [
            "total": .int(Int64(connections.total)), "authenticated": .int(Int64(connections.authenticated)),
            "by_role": .object(byRole),
        ]
        stats["subscriptions"] = .int(Int64(fanOut.subscriptions))
        stats["channels"] = .int(Int64(fanOut.channels))
        stats["deliveries"] = .int(Int64(fanOut.counters.deliveries))
        stats["batches"] = .int(Int64(fanOut.counters.batches))
        stats["duplicates_dropped"] = .int(Int64(fanOut.counters.duplicates))
        stats["unrouted"] = .int(Int64(fanOut.counters.unrouted))
        stats["frames_out"] = .int(Int64(shards.framesOut))
        stats["dropped_slow"] = .int(Int64(shards.droppedSlow))
        stats["closed_slow"] = .int(Int64(shards.closedSlow))
        stats["interest_requests"] = .int(Int64(fanOut.counters.interestRequests))
        stats["interest_failures"] = .int(Int64(fanOut.counters.interestFailures))
        stats["recovery_requests"] = .int(Int64(fanOut.counters.recoveryRequests))
        stats["batcher_requests_answered"] = .int(Int64(fanOut.counters.requestsAnswered))
        stats["connections_terminated"] = .int(Int64(fanOut.counters.usersTerminated))
        stats["links"] = ["authorizer": Self.describe(authorizer), "batcher": Self.describe(batcher)]
        return .object(stats)
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

/// The hub's figures, read on its loop in one hop.
struct FanOutStats: Sendable {
    var counters = ChannelHub.Counters()
    var channels = 0
    var subscriptions = 0

    init() {}

    init(_ hub: ChannelHub) {
        counters = hub.counters
        channels = hub.table.channelCount
        subscriptions = hub.table.subscriptionCount
    }
}

/// The event loops' fan-out figures, each read on its loop and summed.
struct ShardStats: Sendable {
    var framesOut = 0
    var droppedSlow = 0
    var closedSlow = 0

    init() {}

    init(_ shard: LoopShard) {
        framesOut = shard.framesOut
        droppedSlow = shard.droppedSlow
        closedSlow = shard.closedSlow
    }

    mutating func add(_ other: ShardStats) {
        framesOut += other.framesOut
        droppedSlow += other.droppedSlow
        closedSlow += other.closedSlow
    }
}
