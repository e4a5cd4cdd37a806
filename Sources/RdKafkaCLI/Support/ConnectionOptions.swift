import ArgumentParser
import Foundation
import Logging
import RdKafka

/// How every subcommand finds the cluster, as kcat users expect: `-b`, `-X property=value`,
/// `-F file`, or `KAFKA_BOOTSTRAP_SERVERS`; `--embedded` for a throwaway in-process cluster.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: [.customShort("b"), .customLong("brokers")],
        help: ArgumentHelp("Bootstrap brokers, comma-separated (default: $KAFKA_BOOTSTRAP_SERVERS).", valueName: "host:port,...")
    )
    var brokers: String?

    @Option(
        name: .customShort("X"),
        help: ArgumentHelp("A librdkafka property, e.g. -X security.protocol=SSL (repeatable; overrides -F).", valueName: "property=value")
    )
    var properties: [String] = []

    @Option(
        name: .customShort("F"),
        help: ArgumentHelp("A properties file: property=value lines, # comments.", valueName: "file"),
        completion: .file()
    )
    var propertiesFile: String?

    @Flag(help: "Run against a fresh in-process embedded cluster, for demos: the topics named are created (its data ends with the command).")
    var embedded = false

    @Option(help: ArgumentHelp("How long a request to the cluster may take, in seconds.", valueName: "seconds"))
    var timeout: Double = 10

    @Flag(name: .shortAndLong, help: "Show librdkafka's log lines on stderr (-v warnings, -vv debug).")
    var verbose: Int

    func validate() throws {
        for property in properties { _ = try PropertiesFile.parse(assignment: property, origin: "-X") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
        if embedded, brokers != nil { throw ValidationError("--embedded and -b exclude each other") }
    }

    /// Resolves the options into a connection; starts the embedded cluster when asked.
    func connect() throws -> Connection {
        var merged: [String: String] = [:]
        if let propertiesFile {
            let text: String
            do {
                text = try String(contentsOfFile: propertiesFile, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read properties file '\(propertiesFile)': \(error.localizedDescription)")
            }
            merged = try PropertiesFile.parse(text, origin: propertiesFile)
        }
        for property in properties {
            let (key, value) = try PropertiesFile.parse(assignment: property, origin: "-X")
            merged[key] = value
        }
        let fromProperties = merged.removeValue(forKey: "bootstrap.servers")
        let embeddedCluster: EmbeddedKafkaCluster?
        let servers: [String]
        if embedded {
            let cluster: EmbeddedKafkaCluster
            do { cluster = try EmbeddedKafkaCluster() } catch { throw CLIFailure(error, while: "starting the embedded cluster") }
            embeddedCluster = cluster
            servers = cluster.bootstrapServers
        } else {
            embeddedCluster = nil
            let environment = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"]
            guard let list = [brokers, fromProperties, environment].compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
                throw ValidationError("no brokers: pass -b host:port, -X bootstrap.servers=..., or set KAFKA_BOOTSTRAP_SERVERS")
            }
            servers = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !servers.isEmpty else { throw ValidationError("no brokers in '\(list)'") }
        }
        var logger = Logger(label: "rdkafka")
        logger.logLevel = verbose >= 2 ? .debug : verbose == 1 ? .warning : .critical
        return Connection(
            bootstrapServers: servers,
            properties: merged,
            embedded: embeddedCluster,
            logger: logger,
            timeout: .milliseconds(Int64(timeout * 1000))
        )
    }
}

/// A resolved connection: what every client of one command run is configured from.
struct Connection: Sendable {
    var bootstrapServers: [String]
    /// librdkafka properties from -F and -X, applied over the typed settings.
    var properties: [String: String]
    /// Kept alive for the command's run when `--embedded` started it.
    var embedded: EmbeddedKafkaCluster?
    var logger: Logger
    var timeout: Duration

    func client() -> ClientConfiguration {
        var client = ClientConfiguration(bootstrapServers: bootstrapServers, clientID: "rdkafka-cli", logger: logger, properties: properties)
        // Client-level errors (a broker going away) already reach the log; the command
        // reports what they cause, once, on its own.
        client.onError = { _ in }
        return client
    }

    /// Refuses what librdkafka's embedded cluster cannot do: it hangs or aborts the process
    /// on some group admin requests instead of answering them.
    func requireRealCluster(for what: String) throws {
        if embedded != nil { throw CLIFailure("\(what) is not supported by the embedded cluster") }
    }

    func admin() throws -> KafkaAdminClient {
        var configuration = AdminConfiguration(bootstrapServers: bootstrapServers, defaultTimeout: timeout)
        configuration.client = client()
        do {
            return try KafkaAdminClient(configuration: configuration)
        } catch {
            throw CLIFailure(error, while: "configuring the admin client")
        }
    }

    /// Runs `body` with an admin client and closes it afterwards, also when `body` throws.
    func withAdmin<Result>(_ body: (KafkaAdminClient) async throws -> Result) async throws -> Result {
        let admin = try admin()
        do {
            let result = try await body(admin)
            await admin.close()
            return result
        } catch {
            await admin.close()
            throw error
        }
    }
}
