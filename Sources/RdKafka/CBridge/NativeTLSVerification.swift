import CRdKafka
import Foundation

/// Records why OpenSSL refused a broker certificate, which librdkafka's handshake error does
/// not say: a wrong CA and a wrong hostname both read "certificate verify failed".
///
/// The callback keeps OpenSSL's verdict (it accepts exactly what OpenSSL accepted) and only
/// remembers the X.509 error; the next `_SSL` error event carries it as a
/// ``KafkaError/securityFailure``.
enum NativeTLSVerification {
    static func install(on configuration: NativeConfiguration) {
        _ = rd_kafka_conf_set_ssl_cert_verify_cb(configuration.pointer) { _, _, _, x509Error, depth, _, _, errorBuffer, errorBufferSize, opaque in
            guard let x509Error else { return 0 }
            let code = x509Error.pointee
            guard code != 0 else { return 1 }
            if let opaque {
                Unmanaged<NativeCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
                    .recordCertificateRejection(x509Error: code, depth: depth)
            }
            if let errorBuffer, errorBufferSize > 0 {
                let text = KafkaError.SecurityFailure(x509Error: code).explanation
                _ = text.withCString { strncpy(errorBuffer, $0, errorBufferSize - 1) }
                errorBuffer[errorBufferSize - 1] = 0
            }
            return 0
        }
    }
}
