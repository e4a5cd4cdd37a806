import ArgumentParser
import RdKafka

struct TopicsCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a topic.",
        discussion: "Example: rdkafka topics create orders --partitions 6 --config retention.ms=86400000"
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The topic's name.")
    var topic: String

    @Option(help: "Partitions (default: the broker's).")
    var partitions: Int?

    @Option(help: "Replicas per partition (default: the broker's).")
    var replicationFactor: Int?

    @Option(name: .customLong("config"), help: ArgumentHelp("A topic setting (repeatable).", valueName: "name=value"))
    var configs: [String] = []

    func validate() throws {
        for config in configs { _ = try PropertiesFile.parse(assignment: config, origin: "--config") }
    }

    func run() async throws {
        let connection = try connection.connect()
        var settings: [String: String] = [:]
        for config in configs {
            let (name, value) = try PropertiesFile.parse(assignment: config, origin: "--config")
            settings[name] = value
        }
        let newTopic = NewTopic(name: topic, partitions: partitions, replicationFactor: replicationFactor, configs: settings)
        try await connection.withAdmin { admin in
            do { try await admin.createTopic(newTopic) } catch { throw CLIFailure(error, while: "creating topic '\(topic)'") }
        }
        print("Created topic \(topic).")
    }
}

struct TopicsDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete topics and their records.",
        discussion: "Example: rdkafka topics delete old-orders"
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The topics to delete.")
    var topics: [String]

    func run() async throws {
        let connection = try connection.connect()
        let results = try await connection.withAdmin { admin in
            do { return try await admin.deleteTopics(topics) } catch { throw CLIFailure(error, while: "deleting topics") }
        }
        try PerItemResults.report(results, done: "Deleted topic")
    }
}

struct TopicsAddPartitionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-partitions",
        abstract: "Grow a topic to a total number of partitions (keys then map to other partitions).",
        discussion: "Example: rdkafka topics add-partitions orders --total 12"
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The topic.")
    var topic: String

    @Option(help: "The partition count afterwards.")
    var total: Int

    func run() async throws {
        let connection = try connection.connect()
        let results = try await connection.withAdmin { admin in
            do { return try await admin.createPartitions([topic: total]) } catch { throw CLIFailure(error, while: "adding partitions") }
        }
        try PerItemResults.report(results, done: "Grew to \(total) partitions: topic")
    }
}

struct TopicsAlterConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alter-config",
        abstract: "Set or remove topic settings, keeping the others.",
        discussion: "Example: rdkafka topics alter-config orders --set retention.ms=3600000 --delete cleanup.policy"
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The topic.")
    var topic: String

    @Option(name: .customLong("set"), help: ArgumentHelp("A setting to set (repeatable).", valueName: "name=value"))
    var assignments: [String] = []

    @Option(name: .customLong("delete"), help: ArgumentHelp("A setting to return to its default (repeatable).", valueName: "name"))
    var removals: [String] = []

    func validate() throws {
        guard !assignments.isEmpty || !removals.isEmpty else { throw ValidationError("name at least one --set or --delete") }
        for assignment in assignments { _ = try PropertiesFile.parse(assignment: assignment, origin: "--set") }
    }

    func run() async throws {
        let connection = try connection.connect()
        let resource = ConfigResource.topic(topic)
        try await connection.withAdmin { admin in
            // Kafka's AlterConfigs replaces the whole set: start from the topic's own settings.
            var settings: [String: String] = [:]
            do {
                let current = try await admin.describeConfigs([resource])
                let entries = try current[resource]?.get() ?? [:]
                for entry in entries.values where entry.source == .dynamicTopic {
                    if let value = entry.value { settings[entry.name] = value }
                }
            } catch let error as KafkaError {
                throw CLIFailure(error, while: "reading the settings of '\(topic)'")
            }
            for assignment in assignments {
                let (name, value) = try PropertiesFile.parse(assignment: assignment, origin: "--set")
                settings[name] = value
            }
            for name in removals { settings[name] = nil }
            do {
                try await admin.alterConfigs([resource: settings])[resource]?.get()
            } catch {
                throw CLIFailure(error, while: "changing the settings of '\(topic)'")
            }
        }
        print("Updated the settings of topic \(topic).")
    }
}
