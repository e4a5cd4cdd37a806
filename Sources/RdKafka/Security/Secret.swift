/// A password, private key or token that must never appear in a description, a dump, a log
/// line or an error message.
///
/// `print`, `dump`, `String(describing:)` and `String(reflecting:)` all show `<redacted>`.
/// A `Secret` is deliberately neither `Equatable` nor `Hashable`: comparing or hashing secrets
/// in application code invites timing and hash-collision leaks, and nothing in the client
/// needs it.
///
/// ```swift
/// configuration.security.saslPassword = Secret(ProcessInfo.processInfo.environment["KAFKA_PASSWORD"] ?? "")
/// ```
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself; read only where it is handed to librdkafka or compared by the scrubber.
    let value: String

    public init(_ value: String) {
        self.value = value
    }

    /// Whether the secret is the empty string (for validation without revealing it).
    public var isEmpty: Bool { value.isEmpty }

    public var description: String { Self.redacted }
    public var debugDescription: String { Self.redacted }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// What every redacted value is shown as.
    static let redacted = "<redacted>"
}
