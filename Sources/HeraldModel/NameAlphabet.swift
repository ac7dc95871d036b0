/// The characters allowed in event ids, event names and channel names, as one table lookup per byte:
/// every event that crosses a stage is validated, so this sits on the hot path.
struct NameAlphabet: Sendable {
    private let allowed: [Bool]

    init(extra: String) {
        var allowed = [Bool](repeating: false, count: 256)
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { allowed[Int(byte)] = true }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { allowed[Int(byte)] = true }
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { allowed[Int(byte)] = true }
        for byte in extra.utf8 { allowed[Int(byte)] = true }
        self.allowed = allowed
    }

    /// Whether `text` has `lengths` bytes, all from the alphabet.
    func accepts(_ text: String, lengths: ClosedRange<Int>) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            lengths.contains(bytes.count)
                && allowed.withUnsafeBufferPointer { table in
                    bytes.allSatisfy { table[Int($0)] }
                }
        }
    }

    static let eventID = NameAlphabet(extra: "_-")
    static let eventName = NameAlphabet(extra: "_.:-")
    static let pusherEventName = NameAlphabet(extra: "_.:-\\")
    static let channelName = NameAlphabet(extra: "_.:@=,-#")
    static let roomID = NameAlphabet(extra: "_:@=,-")
}
