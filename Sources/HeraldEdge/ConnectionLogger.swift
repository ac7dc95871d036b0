import Logging

/// The edge's logger for one connection: every line carries the connection's id, protocol and (once known) user.
///
/// The fields are added when a line is written, not kept in a per-connection copy of the logger: a logger with
/// its own metadata holds a dictionary per connection (about half a kilobyte for every idle connection), while
/// connection lines are rare and mostly at debug level, where the fields are never even built.
struct ConnectionLogger {
    let base: Logger
    let connection: EdgeConnection
    let protocolName: String

    func debug(_ message: @autoclosure () -> Logger.Message, metadata: @autoclosure () -> Logger.Metadata = [:]) {
        base.debug(message(), metadata: fields(metadata()))
    }

    func info(_ message: @autoclosure () -> Logger.Message, metadata: @autoclosure () -> Logger.Metadata = [:]) {
        base.info(message(), metadata: fields(metadata()))
    }

    func warning(_ message: @autoclosure () -> Logger.Message, metadata: @autoclosure () -> Logger.Metadata = [:]) {
        base.warning(message(), metadata: fields(metadata()))
    }

    private func fields(_ extra: Logger.Metadata) -> Logger.Metadata {
        var fields = extra
        fields["herald.conn.id"] = "\(connection.id)"
        fields["herald.protocol"] = "\(protocolName)"
        if let user = connection.principal?.userID { fields["herald.user.id"] = "\(user)" }
        return fields
    }
}
