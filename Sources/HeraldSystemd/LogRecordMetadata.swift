import Logging

/// The metadata one log record carries, merged the way swift-log's own handlers merge it.
enum LogRecordMetadata {
    /// The handler's metadata, overridden by the provider's, overridden by the call's; an attached error
    /// adds `error.message` and `error.type`.
    static func merge(
        handler: Logger.Metadata,
        provider: Logger.MetadataProvider?,
        event: LogEvent
    ) -> Logger.Metadata {
        var metadata = handler
        if let provided = provider?.get(), !provided.isEmpty {
            metadata.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            metadata.merge(explicit) { _, explicit in explicit }
        }
        if let error = event.error {
            metadata["error.message"] = "\(error)"
            metadata["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        return metadata
    }
}
