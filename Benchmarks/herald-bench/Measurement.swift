/// One benchmark's result: how many operations ran in how long, on one core.
struct Measurement {
    var name: String
    var operations: Int
    var seconds: Double

    var perSecond: Double { Double(operations) / seconds }
    var nanosecondsEach: Double { seconds * 1e9 / Double(operations) }

    /// Runs `body` (which performs `batch` operations) until `minimum` has passed, at most `maximumBatches`
    /// times; the loop always stops by itself.
    static func run(
        _ name: String, batch: Int, minimum: Duration = .seconds(1), maximumBatches: Int = 10_000,
        _ body: () async throws -> Void
    ) async rethrows -> Measurement {
        let clock = ContinuousClock()
        try await body()  // warm-up
        var operations = 0
        var batches = 0
        let start = clock.now
        while clock.now - start < minimum, batches < maximumBatches {
            try await body()
            operations += batch
            batches += 1
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Measurement(name: name, operations: operations, seconds: seconds)
    }
}
