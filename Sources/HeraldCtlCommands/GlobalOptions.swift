#if canImport(Glibc)
    import Glibc
#endif

extension HeraldCtl {
    /// `heraldctl --runtime-dir DIR status` names the directory before the verb (docs/operations.md). The verbs
    /// read it from `HERALD_RUNTIME_DIR`, so a leading `--runtime-dir` becomes that variable.
    public static func applyGlobalOptions(_ arguments: [String]) -> [String] {
        var rest = arguments
        while let first = rest.first, first.hasPrefix("--runtime-dir") {
            if first == "--runtime-dir", rest.count >= 2 {
                setenv("HERALD_RUNTIME_DIR", rest[1], 1)
                rest.removeFirst(2)
            } else if first.hasPrefix("--runtime-dir=") {
                setenv("HERALD_RUNTIME_DIR", String(first.dropFirst("--runtime-dir=".count)), 1)
                rest.removeFirst()
            } else {
                break
            }
        }
        return rest
    }
}
