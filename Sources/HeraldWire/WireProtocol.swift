/// Constants of the stage-to-stage protocol: each frame is a 4-byte big-endian length, then one UTF-8 JSON object.
public enum WireProtocol {
    /// The protocol version a stage announces in its `hello`. A receiver refuses peers speaking another version.
    public static let version = 5

    /// The largest payload a frame may carry (2 MiB). Receivers check it as soon as the length is read, so an
    /// oversized or corrupt length never makes them buffer the body.
    public static let maximumFrameBytes = 2_097_152

    /// The size of the big-endian length that precedes every payload.
    public static let lengthFieldBytes = 4
}
