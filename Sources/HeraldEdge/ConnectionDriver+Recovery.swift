import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

extension ConnectionDriver {
    /// Joins `channel` and replays what the client missed after `position`. Live deliveries are held from the
    /// moment the connection is a subscriber until the batcher's answer; then come the acknowledgement with the
    /// recovery's outcome, the replayed events, and the held deliveries the replay did not already cover — no
    /// gap and no duplicate. Without an answer the subscribe is refused with `UNAVAILABLE`, never acknowledged.
    func joinRecovering(_ channel: String, lane: DeliveryLane, from position: ChannelPosition) {
        connection.heldChannels[channel] = []
        shard.add(connection, to: channel, lane: lane)
        let request = StageRequests.Recover(channels: [
            .init(channel: channel, epoch: position.epoch, offset: position.offset)
        ])
        whenComplete(runtime.hub.recover(request)) { driver, result in
            switch result {
            case .success(let answer):
                let verdict = answer.channels.first { $0.channel == channel }
                let outcome: RecoveryOutcome = verdict?.refusal.map { .refused($0) } ?? .recovered
                driver.perform(
                    driver.session.joined(channel: channel, position: verdict?.position, recovery: outcome))
                driver.replay(answer, lanes: [channel: lane])
            case .failure(let error):
                driver.connection.heldChannels[channel] = nil
                driver.perform(
                    driver.session.joinFailed(
                        channel: channel, code: .unavailable,
                        message:
                            "cannot recover now (\((error as? HeraldError)?.message ?? "\(error)")); subscribe again"))
            }
        }
    }

    /// Writes a recovery's events for the channels in `lanes` (those the client may see), then the deliveries
    /// held meanwhile that came after the replay, and lets deliveries flow again.
    func replay(_ answer: RecoveryAnswer, lanes: [String: DeliveryLane]) {
        guard connection.receivesDeliveries else {
            for channel in lanes.keys { connection.heldChannels[channel] = nil }
            return
        }
        let allocator = runtime.allocator
        let recovered = Set(answer.channels.filter(\.recovered).map(\.channel))
        for event in answer.events {
            guard let channel = event.channels.first, recovered.contains(channel), let lane = lanes[channel],
                event.audience.isEveryone || event.audience.admits(connection.principal, socketID: connection.id)
            else { continue }
            write(runtime.hub.encoders[lane.index].frame(for: event, allocator: allocator))
        }
        for verdict in answer.channels {
            guard let lane = lanes[verdict.channel] else { continue }
            let held = connection.heldChannels.removeValue(forKey: verdict.channel) ?? []
            var caughtUp = false
            for delivery in held where caughtUp || !delivery.wasReplayed(through: verdict.position) {
                caughtUp = caughtUp || delivery.lastPosition != nil
                if shard.write(delivery, to: connection, lane: lane, mayDrop: delivery.mayDrop) {
                    markWritten()
                }
            }
            if !caughtUp { connection.replayedThrough[verdict.channel] = verdict.position }
        }
        flushIfNeeded()
    }
}
