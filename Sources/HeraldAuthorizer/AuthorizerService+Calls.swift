import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

extension AuthorizerService {
    /// `client-rpc` from an edge: the app's backend answers the client's call (`apps[].rpc`); its JSON goes
    /// back as `{"answer": …}`, or UNAVAILABLE / INTERNAL when there is none. On `loop`.
    func call(_ request: Request, from peer: StagePeer) {
        let call: StageRequests.ClientRPC
        do {
            call = try StageRequests.ClientRPC(params: request.params)
        } catch {
            peer.send(.response(Response(id: request.id, outcome: .failure(WireFailure(error)))))
            return
        }
        guard let app = apps.first(where: { $0.id == call.app && $0.rpc.events.contains(call.event) }) else {
            let refusal = HeraldError(
                .permissionDenied, "app \(call.app) takes no call named \(call.event) (apps[].rpc.events)")
            peer.send(.response(Response(id: request.id, outcome: .failure(WireFailure(refusal)))))
            return
        }
        let rpc = self.rpc
        let loop = self.loop
        Task {
            let outcome = await rpc.answer(call, app: app)
            loop.execute {
                let answer = outcome.map { StageRequests.ClientRPCAnswer(answer: $0).params }
                peer.send(.response(Response(id: request.id, outcome: answer.mapError { WireFailure($0) })))
            }
        }
    }
}
