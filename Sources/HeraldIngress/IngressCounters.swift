import HeraldAdmin

/// What ingress has done since it started, for `heraldctl stats`, `STATUS=` and `/metrics`.
public struct IngressCounters: Sendable, Equatable {
    /// Answers by status class: index 0 is 1xx … index 4 is 5xx.
    public private(set) var responsesByClass = [Int](repeating: 0, count: 5)
    /// Events the authorizer acknowledged.
    public var eventsAccepted = 0
    /// Events that were not taken (buffer full, no acknowledgement in time, link stopping).
    public var eventsRefused = 0

    public init() {}

    public mutating func count(status: Int) {
        let index = min(max(status / 100, 1), 5) - 1
        responsesByClass[index] += 1
    }

    public var requests: Int { responsesByClass.reduce(0, +) }

    public var adminValue: AdminValue {
        [
            "requests": .int(Int64(requests)),
            "responses": [
                "2xx": .int(Int64(responsesByClass[1])), "4xx": .int(Int64(responsesByClass[3])),
                "5xx": .int(Int64(responsesByClass[4])),
            ],
            "events_accepted": .int(Int64(eventsAccepted)), "events_refused": .int(Int64(eventsRefused)),
        ]
    }
}
