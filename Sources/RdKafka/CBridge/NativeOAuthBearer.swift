import CRdKafka
import Foundation

/// What librdkafka's OAUTHBEARER refresh callback reaches: the client's token refresher.
protocol NativeTokenRefreshHandler: AnyObject, Sendable {
    /// librdkafka needs a token (at start, at 80 % of the lifetime, 10 s after a failure).
    /// Called on librdkafka's background thread: start the work, never block.
    func tokenRefreshRequested()
}

/// librdkafka's OAUTHBEARER token calls.
enum NativeOAuthBearer {
    /// Routes refresh requests to the context's ``NativeTokenRefreshHandler``, through a SASL
    /// queue of their own that ``serveOnBackgroundThread(_:)`` hands to the background thread.
    static func installRefreshCallback(on configuration: NativeConfiguration) {
        rd_kafka_conf_enable_sasl_queue(configuration.pointer, 1)
        rd_kafka_conf_set_oauthbearer_token_refresh_cb(configuration.pointer) { _, _, opaque in
            guard let opaque else { return }
            Unmanaged<NativeCallbackContext>.fromOpaque(opaque).takeUnretainedValue().tokenRefreshHandler?.tokenRefreshRequested()
        }
    }

    /// Has librdkafka's background thread serve the refresh requests, so they are answered
    /// without any poll call (a consumer that is not reading still gets its token).
    static func serveOnBackgroundThread(_ client: OpaquePointer) throws(KafkaError) {
        if let error = rd_kafka_sasl_background_callbacks_enable(client) {
            throw NativeErrors.consume(error, context: "cannot serve OAUTHBEARER token refreshes")
        }
    }

    /// Hands librdkafka a token; returns librdkafka's reason when it refuses it.
    static func setToken(
        _ client: OpaquePointer,
        value: String,
        expiresAtMilliseconds: Int64,
        principal: String,
        extensions: [(key: String, value: String)]
    ) -> String? {
        let flattened = extensions.flatMap { [$0.key, $0.value] }
        let copies = flattened.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var pointers = copies.map { UnsafePointer<CChar>($0) }
        var errorBuffer = [CChar](repeating: 0, count: 512)
        let result = pointers.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_oauthbearer_set_token(
                client, value, expiresAtMilliseconds, principal,
                buffer.baseAddress, buffer.count, &errorBuffer, errorBuffer.count
            )
        }
        return result == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : String(cBuffer: errorBuffer)
    }

    /// Tells librdkafka no token could be had: it reports an `_AUTHENTICATION` error with
    /// `reason` and asks again 10 seconds later.
    static func setTokenFailure(_ client: OpaquePointer, reason: String) {
        _ = rd_kafka_oauthbearer_set_token_failure(client, reason.isEmpty ? "token provider failed" : reason)
    }
}
