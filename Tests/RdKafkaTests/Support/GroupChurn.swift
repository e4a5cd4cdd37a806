import RdKafka

/// A group member that ``GroupChurn`` can add and remove: it reads in a task of its own
/// and reports what it owns and what it read.
protocol ChurnMember: AnyObject, Sendable {
    var assigned: Set<TopicPartition> { get }
    var records: [ConsumerRecord<String, String>] { get }
    var recordCount: Int { get }
    func close() async
}

/// Members joining and leaving a consumer group one at a time while records are produced
/// all along (``ContinuousLoad``). After each change it waits until the group has settled
/// (every partition owned by exactly one live member, and no live member idle) and records
/// flow to the new owners, so each change is a rebalance of its own.
///
/// The members get ``ConsumerConfiguration/useQuickRebalances()``: the embedded broker's
/// rebalances take as long as the session timeout allows.
///
/// Not Sendable: one test drives it from its own task.
final class GroupChurn<Member: ChurnMember> {
    private let topic: String
    private let partitionCount: Int
    private let settleTimeout: Duration
    private let recordsAfterChange: Int
    private let configuration: ConsumerConfiguration
    private let makeMember: (ConsumerConfiguration) throws -> Member
    private var live: [String: Member] = [:]
    /// Every member that joined, in the order they joined, the closed ones included.
    private(set) var members: [Member] = []

    /// - Parameters:
    ///   - settleTimeout: how long a change may take to settle.
    ///   - recordsAfterChange: how many records the members read, together, after the group
    ///     settled before the next change.
    ///   - configuration: the members' configuration, their group among it.
    ///   - makeMember: a new member of the group with the configuration it is given,
    ///     subscribed to `topic`.
    init(
        topic: String,
        partitions: Int,
        configuration: ConsumerConfiguration,
        settleTimeout: Duration,
        recordsAfterChange: Int,
        makeMember: @escaping (ConsumerConfiguration) throws -> Member
    ) {
        var configuration = configuration
        configuration.useQuickRebalances()
        self.configuration = configuration
        self.topic = topic
        self.partitionCount = partitions
        self.settleTimeout = settleTimeout
        self.recordsAfterChange = recordsAfterChange
        self.makeMember = makeMember
    }

    /// A new member named `name` joins; returns once the group has settled with it.
    func join(_ name: String) async throws {
        let member = try makeMember(configuration)
        live[name] = member
        members.append(member)
        try await settled("\(name) joined")
    }

    /// The member named `name` closes (and so leaves the group); returns once the group has
    /// settled without it.
    func leave(_ name: String) async throws {
        await live.removeValue(forKey: name)?.close()
        try await settled("\(name) left")
    }

    /// Waits until the members together have read each of the `produced` records (values
    /// `v0` up to `v<produced - 1>`, from ``ContinuousLoad``) at least once, then closes the
    /// members still in the group.
    func finish(produced: Int, timeout: Duration) async throws {
        let members = self.members
        try await eventually(timeout: timeout, "every produced record read") {
            Set(members.flatMap { $0.records.map(\.value) }).count >= produced
        }
        for member in live.values { await member.close() }
        live = [:]
    }

    /// Closes the members still in the group, for a test that stops early: members left
    /// reading would load the broker for the rest of the run.
    func closeAll() async {
        for member in live.values { await member.close() }
        live = [:]
    }

    private func settled(_ what: String) async throws {
        let live = Array(self.live.values)
        let all = partitions(of: topic, partitionCount)
        let partitionCount = self.partitionCount
        try await eventually(timeout: settleTimeout, "the group settled after \(what)") {
            let sets = live.map(\.assigned)
            let union = sets.reduce(into: Set<TopicPartition>()) { $0.formUnion($1) }
            return union == all
                && sets.allSatisfy { !$0.isEmpty }
                && sets.reduce(0) { $0 + $1.count } == partitionCount
        }
        // Records keep flowing to the new owners before the next change.
        let members = self.members
        let target = members.reduce(0) { $0 + $1.recordCount } + recordsAfterChange
        try await eventually(timeout: .seconds(30), "records read after \(what)") {
            members.reduce(0) { $0 + $1.recordCount } > target
        }
    }
}

extension ConsumerConfiguration {
    /// Group timings for tests whose time goes on rebalances. The embedded broker (librdkafka
    /// 2.0.2's mock) ends a rebalance's JoinGroup phase only when a timer of the session
    /// timeout less 1 s fires, however soon every member has rejoined, so the session timeout
    /// sets each rebalance's length: 4 s instead of the tests' usual 6 s makes each one 3 s
    /// instead of 5 s. It also holds a group's first JoinGroup for a fixed 3 s, and members
    /// whose session expires meanwhile are dropped: 4 s leaves them a second. (At 1.5 s no
    /// assignment was made at all.) Real brokers end a rebalance once every member rejoined,
    /// and refuse a session timeout below their group.min.session.timeout.ms (6 s by default,
    /// in Kafka and noida-db alike): there the tests' usual timings stay.
    mutating func useQuickRebalances() {
        guard !TestCluster.isReal else { return }
        sessionTimeout = .seconds(4)
        heartbeatInterval = .milliseconds(500)
    }
}
