extension KafkaError {
    /// Which security check failed; see ``KafkaError/securityFailure``.
    ///
    /// Certificate failures come from OpenSSL's verification of the broker's certificate
    /// (librdkafka's own message says only "certificate verify failed"); authentication
    /// failures from SASL (wrong password, unknown user, refused or missing OAUTHBEARER token).
    public enum SecurityFailure: Sendable, Hashable {
        /// The broker's certificate does not chain to the configured trust roots (wrong CA,
        /// self-signed certificate).
        case untrustedBrokerCertificate
        /// The broker's certificate is trusted but names another host than the one connected to.
        case brokerHostnameMismatch
        /// The broker's certificate is expired, not yet valid, revoked or otherwise unusable.
        case invalidBrokerCertificate
        /// The TLS handshake failed for another reason, such as the broker refusing the
        /// client's certificate or no common protocol version.
        case tlsHandshakeFailed
        /// SASL authentication failed: wrong credentials, or no valid OAUTHBEARER token.
        case authenticationFailed

        /// The failure an OpenSSL `X509_V_ERR_*` code stands for.
        init(x509Error: Int32) {
            switch x509Error {
            case 62, 64: self = .brokerHostnameMismatch  // X509_V_ERR_HOSTNAME_MISMATCH, _IP_ADDRESS_MISMATCH
            case 2, 18, 19, 20, 21, 27: self = .untrustedBrokerCertificate  // issuer unknown, self-signed, untrusted
            default: self = .invalidBrokerCertificate
            }
        }

        /// The classification librdkafka's error code alone allows.
        init?(code: Code) {
            switch code {
            case .authentication, .saslAuthenticationFailed: self = .authenticationFailed
            case .ssl: self = .tlsHandshakeFailed
            default: return nil
            }
        }

        /// A sentence for logs and error messages.
        var explanation: String {
            switch self {
            case .untrustedBrokerCertificate: return "broker certificate is not signed by a trusted CA"
            case .brokerHostnameMismatch: return "broker certificate does not name the host connected to"
            case .invalidBrokerCertificate: return "broker certificate is expired, revoked or otherwise invalid"
            case .tlsHandshakeFailed: return "TLS handshake failed"
            case .authenticationFailed: return "authentication failed"
            }
        }
    }
}

extension KafkaError.Code {
    /// SSL/TLS failed: handshake, certificate verification (librdkafka's `_SSL`).
    public static let ssl = Self(rawValue: -181)
    /// Authentication failed, or no OAUTHBEARER token could be had (librdkafka's `_AUTHENTICATION`).
    public static let authentication = Self(rawValue: -169)
    /// The broker refused the SASL credentials (`SASL_AUTHENTICATION_FAILED`).
    public static let saslAuthenticationFailed = Self(rawValue: 58)
}
