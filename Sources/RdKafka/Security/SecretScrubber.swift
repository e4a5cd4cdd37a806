/// Removes known secret values from text that leaves the client: librdkafka's log lines,
/// error messages and statistics.
///
/// librdkafka already hides the properties it knows to be sensitive, but a secret can still
/// travel in text it does not control: a password pasted into the wrong property is echoed by
/// "invalid value" errors, and a debug context may print a request. The scrubber knows the
/// configured secret values and replaces each occurrence, whatever carried it.
struct SecretScrubber: Sendable {
    /// Values shorter than this are not scrubbed: replacing every "ab" would destroy the text
    /// while protecting nothing that could be called a secret.
    static let minimumLength = 4

    private let secrets: [String]

    /// A scrubber for the values of the sensitive properties among `properties`.
    init(properties: [String: String]) {
        self.init(secrets: properties.compactMap { SensitiveProperty.isSensitive($0.key) ? $0.value : nil })
    }

    init(secrets: [String]) {
        // Longest first, so a secret containing another is replaced whole.
        self.secrets = Set(secrets.filter { $0.utf8.count >= Self.minimumLength }).sorted { $0.utf8.count > $1.utf8.count }
    }

    var isEmpty: Bool { secrets.isEmpty }

    /// `text` with every secret replaced by `<redacted>`.
    func scrub(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: Secret.redacted)
        }
        return result
    }

    /// `error` with its message scrubbed.
    func scrub(_ error: KafkaError) -> KafkaError {
        guard !secrets.isEmpty else { return error }
        let message = scrub(error.message)
        guard message != error.message else { return error }
        var copy = error
        copy.message = message
        return copy
    }
}

extension SecretScrubber {
    /// Runs `body`, scrubbing the error it throws.
    func scrubbing<T>(_ body: () throws(KafkaError) -> T) throws(KafkaError) -> T {
        do {
            return try body()
        } catch {
            throw scrub(error)
        }
    }
}
