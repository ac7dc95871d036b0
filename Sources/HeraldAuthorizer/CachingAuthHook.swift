/// Puts a cache and coalescing in front of a hook: an answer (allow or deny) is reused for
/// `auth.hook.cache_seconds`, and questions asked while the same one is on its way wait for that one answer
/// instead of asking again. Each question is awaited by its own caller, so a slow hook delays only the
/// subscriptions waiting on it.
public actor CachingAuthHook: AuthorizationHook {
    private let backend: any AuthorizationHook
    private var cache: HookAnswerCache<HookCacheKey, HookAnswer>
    private var inFlight: [HookCacheKey: Task<HookAnswer, Never>] = [:]
    private let now: @Sendable () -> ContinuousClock.Instant
    /// Questions that reached the backend, for stats and tests.
    public private(set) var backendQuestions = 0

    public init(
        _ backend: any AuthorizationHook, cacheSeconds: Int, capacity: Int = 10_000,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.backend = backend
        self.cache = HookAnswerCache(capacity: capacity, lifetime: .seconds(cacheSeconds))
        self.now = now
    }

    public func ask(_ question: HookQuestion) async -> HookAnswer {
        let key = question.cacheKey
        if let cached = cache.lookup(key, now: now()) { return cached }
        if let pending = inFlight[key] { return await pending.value }
        backendQuestions += 1
        let backend = self.backend
        let pending = Task { await backend.ask(question) }
        inFlight[key] = pending
        let answer = await pending.value
        inFlight[key] = nil
        cache.store(answer, for: key, now: now())
        return answer
    }
}
