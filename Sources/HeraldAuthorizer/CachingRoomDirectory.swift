/// Puts a cache and coalescing in front of a room directory, as `CachingAuthHook` does for subscription
/// questions: an answer that the room exists or does not is reused for `auth.hook.cache_seconds`, and checks of
/// a room asked while the same one is on its way wait for that one answer. An `unavailable` answer is not kept.
public actor CachingRoomDirectory: RoomDirectory {
    private let backend: any RoomDirectory
    private var cache: HookAnswerCache<RoomQuestion, RoomAnswer>
    private var inFlight: [RoomQuestion: Task<RoomAnswer, Never>] = [:]
    private let now: @Sendable () -> ContinuousClock.Instant
    /// Questions that reached the backend, for stats and tests.
    public private(set) var backendQuestions = 0

    public init(
        _ backend: any RoomDirectory, cacheSeconds: Int, capacity: Int = 10_000,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.backend = backend
        self.cache = HookAnswerCache(capacity: capacity, lifetime: .seconds(cacheSeconds))
        self.now = now
    }

    public func check(_ question: RoomQuestion) async -> RoomAnswer {
        if let cached = cache.lookup(question, now: now()) { return cached }
        if let pending = inFlight[question] { return await pending.value }
        backendQuestions += 1
        let backend = self.backend
        let pending = Task { await backend.check(question) }
        inFlight[question] = pending
        let answer = await pending.value
        inFlight[question] = nil
        if answer.isCacheable { cache.store(answer, for: question, now: now()) }
        return answer
    }
}
