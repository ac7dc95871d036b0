extension LoopShard {
    /// Ends every connection whose principal holds the token `tokenID` (its `jti`) with an
    /// `AUTHENTICATION_FAILED` error and close code 4001; returns how many there were. On `loop`.
    func terminate(tokenID: String, reason: String) -> Int {
        loop.preconditionInEventLoop()
        let closing = connections.filter { $0.principal?.tokenID == tokenID }
        for connection in closing { connection.terminate?(.authenticationFailed, reason) }
        return closing.count
    }
}
