/// Which librdkafka properties hold secrets, so that their values are never shown.
enum SensitiveProperty {
    /// Properties that hold a secret although their name does not say so.
    private static let named: Set<String> = [
        "ssl.key.pem", "ssl_key", "sasl.oauthbearer.config", "sasl.jaas.config",
    ]

    /// Whether `name` holds a secret: its name says password, secret or token, or it is a
    /// private key or a SASL configuration string.
    static func isSensitive(_ name: String) -> Bool {
        let lowercased = name.lowercased()
        return named.contains(lowercased)
            || lowercased.contains("password")
            || lowercased.contains("secret")
            || lowercased.contains("token")
    }

    /// `properties` with every sensitive value replaced by `<redacted>`, for display.
    static func redacted(_ properties: [String: String]) -> [String: String] {
        var result = properties
        for name in properties.keys where isSensitive(name) {
            result[name] = Secret.redacted
        }
        return result
    }
}
