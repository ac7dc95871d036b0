import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

extension ChannelHub {
    /// Asks the batcher what clients missed (`recover`). Sent on the batcher link after the channels' interest,
    /// so every delivery that arrives after the answer follows the replayed events. Any loop.
    func recover(_ request: StageRequests.Recover) -> EventLoopFuture<RecoveryAnswer> {
        loop.flatSubmit {
            self.counters.recoveryRequests += 1
            return self.batcher.request(method: StageRequests.recover, params: StageRequests.encode(request))
                .flatMapThrowing { try RecoveryAnswer.decode($0) }
        }
    }

    /// Stores a Socket.IO session's channels with the batcher, for its recovery after a reconnect. Any loop.
    func saveSession(_ save: StageRequests.SessionSave) -> EventLoopFuture<Void> {
        loop.flatSubmit {
            self.batcher.request(method: StageRequests.sessionSave, params: StageRequests.encode(save)).map { _ in }
        }
    }

    /// A Socket.IO session's record; fails with NOT_FOUND once it expired. Any loop.
    func loadSession(pid: String) -> EventLoopFuture<StageRequests.SessionRecord> {
        loop.flatSubmit {
            self.batcher.request(
                method: StageRequests.sessionLoad, params: StageRequests.encode(StageRequests.SessionLoad(pid: pid))
            ).flatMapThrowing { try StageRequests.decode(StageRequests.SessionRecord.self, from: $0) }
        }
    }
}
