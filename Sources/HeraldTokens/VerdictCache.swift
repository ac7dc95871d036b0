/// A bounded map from token text to its verified claims; the oldest entry goes first when full.
struct VerdictCache {
    let capacity: Int
    private var entries: [String: TokenClaims] = [:]
    private var order: [String] = []
    private var head = 0

    init(capacity: Int) { self.capacity = capacity }

    func lookup(_ token: String) -> TokenClaims? { entries[token] }

    mutating func store(_ token: String, _ claims: TokenClaims) {
        guard entries.updateValue(claims, forKey: token) == nil else { return }
        order.append(token)
        if entries.count > capacity {
            entries.removeValue(forKey: order[head])
            head += 1
            if head > capacity {
                order.removeFirst(head)
                head = 0
            }
        }
    }
}
