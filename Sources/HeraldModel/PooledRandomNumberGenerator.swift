import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Random bits from the kernel, fetched 4 KiB at a time.
///
/// `SystemRandomNumberGenerator` makes one `getrandom` system call per `next()`, which made generating event
/// ids the single largest cost of accepting an event at ingress (about a tenth of its CPU under load). This
/// generator hands out the same kernel randomness (`/dev/urandom`) from a process-wide pool and refills it
/// with one read per 512 draws.
public struct PooledRandomNumberGenerator: RandomNumberGenerator, Sendable {
    private static let pool = Mutex(Pool())

    public init() {}

    public mutating func next() -> UInt64 {
        Self.pool.withLock { $0.next() }
    }

    private struct Pool: ~Copyable {
        private var words = [UInt64](repeating: 0, count: 512)
        private var used = 512

        mutating func next() -> UInt64 {
            if used == words.count { refill() }
            defer { used += 1 }
            return words[used]
        }

        private mutating func refill() {
            #if canImport(Glibc)
                let wanted = words.count * MemoryLayout<UInt64>.size
                let device = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
                if device >= 0 {
                    defer { close(device) }
                    let filled = words.withUnsafeMutableBytes { bytes -> Int in
                        var offset = 0
                        while offset < wanted {
                            let got = read(device, bytes.baseAddress! + offset, wanted - offset)
                            guard got > 0 else { break }
                            offset += got
                        }
                        return offset
                    }
                    if filled == wanted {
                        used = 0
                        return
                    }
                }
            #endif
            var system = SystemRandomNumberGenerator()
            for index in words.indices { words[index] = system.next() }
            used = 0
        }
    }
}
