import ArgumentParser
import Foundation
import NIOSSL
import RdKafkaSchemaRegistry

/// The format a key or value was written in by a schema registry serializer (`-s`).
enum SchemaFormat: String, CaseIterable {
    case avro
    /// JSON Schema.
    case json
    case protobuf

    /// The registry's name for schemas of this format.
    var schemaType: SchemaType {
        switch self {
        case .avro: .avro
        case .json: .json
        case .protobuf: .protobuf
        }
    }
}

/// What `-s` asks to decode: kcat's `-s key=FORMAT`, `-s value=FORMAT`, or `-s FORMAT` for both.
struct SchemaSelection: Equatable {
    var key: SchemaFormat?
    var value: SchemaFormat?

    var isEmpty: Bool { key == nil && value == nil }

    static func parse(_ specifications: [String]) throws -> SchemaSelection {
        var selection = SchemaSelection()
        let formats = SchemaFormat.allCases.map(\.rawValue).joined(separator: ", ")
        for specification in specifications {
            let parts = specification.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let formatName = parts.count == 2 ? parts[1] : parts[0]
            guard let format = SchemaFormat(rawValue: formatName.lowercased()) else {
                throw ValidationError("-s \(specification): unknown format \(formatName) (known: \(formats))")
            }
            switch parts.count == 2 ? parts[0].lowercased() : nil {
            case nil:
                selection.key = format
                selection.value = format
            case "key": selection.key = format
            case "value": selection.value = format
            default: throw ValidationError("-s \(specification): say key=\(formatName), value=\(formatName), or \(formatName) for both")
            }
        }
        return selection
    }
}

/// `consume`'s schema registry options: which fields to decode, and where and how to reach
/// the registry that holds their schemas.
struct SchemaRegistryOptions: ParsableArguments {
    @Option(
        name: [.customShort("s"), .customLong("schema")],
        help: ArgumentHelp(
            "Decode keys and/or values written by a schema registry serializer: key=FORMAT, value=FORMAT, or FORMAT for both; FORMAT is avro, json (JSON Schema) or protobuf. Needs -r.",
            valueName: "[key=|value=]format"
        )
    )
    var schema: [String] = []

    @Option(
        name: [.customShort("r"), .customLong("schema-registry")],
        help: ArgumentHelp("The schema registry's URL; credentials may be given in it (https://user:password@host).", valueName: "url")
    )
    var schemaRegistry: String?

    @Option(help: ArgumentHelp("HTTP basic authentication for the registry (Confluent Cloud: API key and secret).", valueName: "user:password"))
    var schemaRegistryUser: String?

    @Option(help: ArgumentHelp("A bearer token for the registry.", valueName: "token"))
    var schemaRegistryToken: String?

    @Option(help: ArgumentHelp("PEM file of the CA certificates that sign an https registry's certificate (default: the system's).", valueName: "file"))
    var schemaRegistryCA: String?

    /// The fields to decode (nothing when no `-s` was given).
    func selection() throws -> SchemaSelection {
        try SchemaSelection.parse(schema)
    }

    /// Checks the options fit together; the CA file is read only when connecting.
    func validate() throws {
        let selection = try selection()
        if selection.isEmpty {
            if schemaRegistry != nil || schemaRegistryUser != nil || schemaRegistryToken != nil || schemaRegistryCA != nil {
                throw ValidationError("the schema registry options need -s to say what to decode (e.g. -s value=avro)")
            }
            return
        }
        guard let schemaRegistry else { throw ValidationError("-s decodes with a schema registry: give its URL with -r") }
        _ = try configuration(url: schemaRegistry, readingCA: false)
    }

    /// The registry client's configuration, or `nil` when no `-s` was given.
    func configuration() throws -> SchemaRegistryConfiguration? {
        guard !(try selection()).isEmpty, let schemaRegistry else { return nil }
        return try configuration(url: schemaRegistry, readingCA: true)
    }

    private func configuration(url text: String, readingCA: Bool) throws -> SchemaRegistryConfiguration {
        guard var components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              ["http", "https"].contains(scheme), components.host?.isEmpty == false
        else {
            throw ValidationError("-r \(text): not an http or https URL")
        }
        var authentication = SchemaRegistryConfiguration.Authentication.none
        if let user = components.user {
            // kcat's convention: the credentials ride in the URL; they are sent as a header.
            // URLComponents gives them percent-decoded: `%40` in a password is `@`.
            authentication = .basic(username: user, password: components.password ?? "")
            components.user = nil
            components.password = nil
        }
        if let userInfo = schemaRegistryUser {
            guard case .none = authentication else { throw ValidationError("credentials in the -r URL and --schema-registry-user: give them once") }
            guard let colon = userInfo.firstIndex(of: ":") else { throw ValidationError("--schema-registry-user is user:password") }
            authentication = .basic(username: String(userInfo[..<colon]), password: String(userInfo[userInfo.index(after: colon)...]))
        }
        if let token = schemaRegistryToken {
            guard case .none = authentication else { throw ValidationError("a bearer token and basic credentials exclude each other") }
            authentication = .bearer(token: token)
        }
        var tls: TLSConfiguration?
        if let schemaRegistryCA {
            guard scheme == "https" else { throw ValidationError("--schema-registry-ca is for an https registry URL") }
            if readingCA {
                let certificates: [NIOSSLCertificate]
                do {
                    certificates = try NIOSSLCertificate.fromPEMFile(schemaRegistryCA)
                } catch {
                    throw CLIFailure(error, while: "reading --schema-registry-ca \(schemaRegistryCA)")
                }
                guard !certificates.isEmpty else { throw CLIFailure("--schema-registry-ca \(schemaRegistryCA): no PEM certificate in it") }
                var configuration = TLSConfiguration.makeClientConfiguration()
                configuration.trustRoots = .certificates(certificates)
                tls = configuration
            }
        }
        guard let url = components.string else { throw ValidationError("-r \(text): not an http or https URL") }
        return SchemaRegistryConfiguration(url: url, authentication: authentication, tlsConfiguration: tls)
    }
}
