import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

extension ConnectionDriver {
    /// Restores a saved session (Socket.IO connection-state recovery): loads its record from the batcher, checks
    /// it belongs to this connection's user, authorizes each of its channels again, joins them with deliveries
    /// held, and asks the batcher for everything after the client's cursor on all of them at once — so the replay
    /// comes in the order the client would have received it. Only a complete recovery is reported as one;
    /// otherwise the channels other than the user's own are left and the session starts anew.
    func restore(_ restore: SessionRestore) {
        guard let principal = connection.principal else {
            perform(session.restored(SessionRestoration(channels: [], recovered: false)))
            return
        }
        whenComplete(runtime.hub.loadSession(pid: restore.pid)) { driver, result in
            guard case .success(let record) = result, record.userID == principal.userID,
                record.namespace == restore.namespace
            else {
                driver.perform(driver.session.restored(SessionRestoration(channels: [], recovered: false)))
                return
            }
            driver.rejoin(record, as: principal, restore: restore)
        }
    }

    private func rejoin(_ record: StageRequests.SessionRecord, as principal: Principal, restore: SessionRestore) {
        let personal = Set(ChannelName.personal(userID: principal.userID))
        let loop = connection.loop
        let verdicts = record.channels.keys.sorted().map { channel -> EventLoopFuture<String?> in
            if personal.contains(channel) { return loop.makeSucceededFuture(channel) }
            return runtime.authorizeSubscribe(principal, channel: channel, token: nil, socketID: connection.id)
                .map { _ in channel }.recover { _ in nil }
        }
        let hub = runtime.hub
        let loopIndex = connection.loopIndex
        let allowed = EventLoopFuture.whenAllSucceed(verdicts, on: loop).map { $0.compactMap { $0 } }
        let joined = allowed.flatMap { channels in
            EventLoopFuture.whenAllComplete(
                channels.map { hub.join($0, loop: loopIndex, lane: restore.lane) }, on: loop
            ).map { _ in channels }
        }
        whenComplete(joined) { driver, result in
            let channels = (try? result.get()) ?? []
            for channel in channels {
                driver.connection.heldChannels[channel] = []
                driver.shard.add(driver.connection, to: channel, lane: restore.lane)
            }
            let entries = channels.compactMap { channel -> StageRequests.Recover.Entry? in
                let start =
                    restore.cursor.map { ($0.epoch, $0.sequence) }
                    ?? record.channels[channel].map { ($0.epoch, $0.sequence) }
                guard let (epoch, sequence) = start else { return nil }
                return StageRequests.Recover.Entry(channel: channel, epoch: epoch, sequence: sequence)
            }
            driver.whenComplete(driver.runtime.hub.recover(StageRequests.Recover(channels: entries))) {
                driver, answer in
                driver.finishRestore(
                    channels: channels, answer: try? answer.get(), personal: personal, lane: restore.lane)
            }
        }
    }

    private func finishRestore(channels: [String], answer: RecoveryAnswer?, personal: Set<String>, lane: DeliveryLane) {
        guard connection.receivesDeliveries, !session.isClosed else {
            // The connection ended while the restore ran: nothing holds these channels but the restore.
            for channel in channels {
                connection.heldChannels[channel] = nil
                if let lane = shard.remove(connection, from: channel) {
                    runtime.hub.leave(channel, loop: connection.loopIndex, lane: lane)
                }
            }
            return
        }
        let lanes = Dictionary(uniqueKeysWithValues: channels.map { ($0, lane) })
        let complete =
            answer.map { answer in
                answer.channels.allSatisfy(\.recovered) && Set(answer.channels.map(\.channel)) == Set(channels)
            } ?? false
        if let answer, complete {
            // The CONNECT answer first, then what was missed, then what was held meanwhile.
            perform(session.restored(SessionRestoration(channels: channels, recovered: true)))
            replay(answer, lanes: lanes)
            return
        }
        // Not recovered: nothing is replayed, live deliveries go on for the user's own channels only.
        let positions = (answer?.channels ?? []).map {
            RecoveryAnswer.Channel(channel: $0.channel, position: $0.position, refusal: $0.refusal ?? .positionExpired)
        }
        replay(RecoveryAnswer(channels: positions, events: []), lanes: lanes)
        var kept: [String] = []
        for channel in channels {
            connection.heldChannels[channel] = nil
            if personal.contains(channel) {
                kept.append(channel)
            } else if let lane = shard.remove(connection, from: channel) {
                runtime.hub.leave(channel, loop: connection.loopIndex, lane: lane)
            }
        }
        perform(session.restored(SessionRestoration(channels: kept, recovered: false)))
    }
}
