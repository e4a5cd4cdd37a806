import ArgumentParser
import RdKafka

/// `rdkafka groups`: kafka-consumer-groups.
struct GroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groups",
        abstract: "List, describe, delete consumer groups and reset their offsets.",
        subcommands: [GroupsListCommand.self, GroupsDescribeCommand.self, GroupsDeleteCommand.self, GroupsResetOffsetsCommand.self]
    )
}

struct GroupsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Consumer groups and their states, one per line.",
        discussion: "Example: rdkafka groups list"
    )

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let connection = try connection.connect()
        try connection.requireRealCluster(for: "listing groups")
        let groups = try await connection.withAdmin { admin in
            do { return try await admin.listConsumerGroups() } catch { throw CLIFailure(error, while: "listing groups") }
        }
        var table = TextTable(header: ["GROUP", "STATE"])
        for group in groups.sorted(by: { $0.groupID < $1.groupID }) {
            table.append([group.groupID, group.state.name])
        }
        print(table.render(), terminator: "")
    }
}

struct GroupsDescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "A group's state, members, assignment, and committed offsets with lag per partition.",
        discussion: "Example: rdkafka groups describe billing"
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The group.")
    var group: String

    func run() async throws {
        let connection = try connection.connect()
        try connection.requireRealCluster(for: "describing groups")
        let (description, lag, ends) = try await connection.withAdmin { admin in
            let description: ConsumerGroupDescription
            let lag: ConsumerGroupLag
            do {
                guard let answer = try await admin.describeConsumerGroups([group])[group] else {
                    throw CLIFailure("describing group '\(group)': the cluster gave no answer for it")
                }
                description = try answer.get()
                lag = try await admin.consumerGroupLag(group)
            } catch let error as KafkaError {
                throw CLIFailure(error, while: "describing group '\(group)'")
            }
            // Assigned partitions without a commit still show their end offset.
            let uncommitted = description.members.flatMap(\.assignment).filter { lag.partitions[$0] == nil }
            var ends: [TopicPartition: Int64] = [:]
            if !uncommitted.isEmpty {
                let marks = (try? await admin.watermarks(of: uncommitted)) ?? [:]
                for (partition, result) in marks { ends[partition] = try? result.get().high }
            }
            return (description, lag, ends)
        }
        print("Group \(group): \(description.state.name), assignor \(description.partitionAssignor.isEmpty ? "-" : description.partitionAssignor), \(description.members.count) members")
        var owners: [TopicPartition: ConsumerGroupDescription.Member] = [:]
        for member in description.members {
            for partition in member.assignment { owners[partition] = member }
        }
        var table = TextTable(header: ["TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"])
        for partition in Set(owners.keys).union(lag.partitions.keys).sorted() {
            let entry = lag.partitions[partition]
            let owner = owners[partition]
            table.append([
                partition.topic,
                String(partition.partition),
                entry.map { String($0.committedOffset) } ?? "-",
                (entry?.highWatermark ?? ends[partition]).map(String.init) ?? "-",
                entry.map { String($0.lag) } ?? "-",
                owner?.memberID ?? "-",
                owner?.host ?? "-",
                owner?.clientID ?? "-",
            ])
        }
        print(table.render(), terminator: "")
    }
}

struct GroupsDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete groups and their committed offsets (they must have no members).",
        discussion: "Example: rdkafka groups delete old-billing"
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The groups.")
    var groups: [String]

    func run() async throws {
        let connection = try connection.connect()
        try connection.requireRealCluster(for: "deleting groups")
        let results = try await connection.withAdmin { admin in
            do { return try await admin.deleteConsumerGroups(groups) } catch { throw CLIFailure(error, while: "deleting groups") }
        }
        try PerItemResults.report(results, done: "Deleted group")
    }
}

extension ConsumerGroupState {
    /// The state as Kafka's tools print it.
    var name: String {
        switch self {
        case .unknown: return "Unknown"
        case .preparingRebalance: return "PreparingRebalance"
        case .completingRebalance: return "CompletingRebalance"
        case .stable: return "Stable"
        case .dead: return "Dead"
        case .empty: return "Empty"
        }
    }
}
