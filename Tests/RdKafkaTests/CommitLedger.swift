import RdKafka

/// The commits the group's members saw acknowledged, shared by all members: the highest
/// acknowledged offset per partition, and how revocations went.
///
/// Only acknowledged commits count: a record is protected from being read again once a
/// commit past it has been acknowledged before the partition moves. What a member read
/// and could not commit (a refused revoke commit, partitions lost after its session ended
/// while it went on reading) may be read again by the next owner.
final class CommitLedger: Sendable {
    private struct State {
        var committed: [Int32: Int64] = [:]
        var revocations = 0
        var failedCommits = 0
    }
    private let state = Guarded(State())

    func revoked(_ positions: [TopicPartitionOffset], committed: Bool) {
        state.withLock { state in
            state.revocations += 1
            if !committed { state.failedCommits += 1 }
        }
        if committed { self.committed(positions) }
    }

    func committed(_ positions: [TopicPartitionOffset]) {
        state.withLock { state in
            for position in positions where position.offset >= 0 {
                state.committed[position.partition] = max(state.committed[position.partition] ?? 0, position.offset)
            }
        }
    }

    /// The highest offset of `partition` acknowledged as committed so far (0 if none).
    func committedOffset(_ partition: Int32) -> Int64 {
        state.withLock { $0.committed[partition] ?? 0 }
    }

    var revocations: Int { state.withLock { $0.revocations } }
    var failedCommits: Int { state.withLock { $0.failedCommits } }
}

/// One member's ownership of one partition, from its assignment to its revocation: where the
/// group's acknowledged commits stood when it was assigned, and the records the member read.
struct PartitionStint: Sendable, CustomStringConvertible {
    let partition: Int32
    let committedAtAssignment: Int64
    var first: Int64?
    var last: Int64?
    /// How it ended: revoked and committed, revoked with the commit refused, or lost.
    var ending: Ending?
    enum Ending: String, Sendable { case committed, refused, lost }
    var description: String {
        "partition \(partition): read \(first.map(String.init) ?? "-")...\(last.map(String.init) ?? "-") with \(committedAtAssignment) committed at assignment, \(ending?.rawValue ?? "open")"
    }
}

/// Commits the revoked partitions' positions (the next offset to process) and tells the
/// ledger; records each partition's stint, and checks that the position at revocation is
/// the record after the last one the member's loop returned.
final class LedgerListener: RebalanceListener {
    let ledger: CommitLedger
    private struct State {
        var open: [TopicPartition: PartitionStint] = [:]
        var closed: [PartitionStint] = []
        var positionMismatches: [String] = []
        var closing = false
    }
    private let state = Guarded(State())

    init(ledger: CommitLedger) { self.ledger = ledger }

    var assigned: Set<TopicPartition> { state.withLock { Set($0.open.keys) } }
    var stints: [PartitionStint] { state.withLock { $0.closed + Array($0.open.values) } }
    var positionMismatches: [String] { state.withLock { $0.positionMismatches } }

    /// Called by the reading loop for each record it returned, before reading the next.
    func didRead(_ partition: TopicPartition, offset: Int64) {
        state.withLock { state in
            guard var stint = state.open[partition] else { return }
            if stint.first == nil { stint.first = offset }
            stint.last = offset
            state.open[partition] = stint
        }
    }

    /// The member is closing: its last revocation runs on the closing task while the reading
    /// loop may still hold a record it has not recorded, so positions are not compared then.
    func willClose() {
        state.withLock { $0.closing = true }
    }

    func onPartitionsAssigned(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
        let stints = partitions.map {
            PartitionStint(partition: $0.partition, committedAtAssignment: ledger.committedOffset($0.partition))
        }
        state.withLock { state in
            for (partition, stint) in zip(partitions, stints) where state.open[partition] == nil {
                state.open[partition] = stint
            }
        }
    }

    func onPartitionsLost(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
        // As the default does: try to commit anyway (the coordinator refuses it).
        defer { end(partitions, .lost) }
        try onPartitionsRevoked(partitions, consumer: consumer)
    }

    private func end(_ partitions: [TopicPartition], _ ending: PartitionStint.Ending) {
        state.withLock { state in
            for partition in partitions {
                guard var stint = state.open.removeValue(forKey: partition) else {
                    // Already ended by onPartitionsRevoked: a lost partition says so.
                    if ending == .lost, let index = state.closed.lastIndex(where: { $0.partition == partition.partition }) {
                        state.closed[index].ending = .lost
                    }
                    continue
                }
                stint.ending = ending
                state.closed.append(stint)
            }
        }
    }

    func onPartitionsRevoked(_ partitions: [TopicPartition], consumer: any ConsumerControl) throws {
        var committed = false
        defer { end(partitions, committed ? .committed : .refused) }
        var positions: [TopicPartitionOffset] = []
        for partition in partitions {
            if let offset = try? consumer.position(partition) {
                positions.append(TopicPartitionOffset(partition, offset: offset))
            }
        }
        state.withLock { state in
            guard !state.closing else { return }
            for partition in partitions {
                guard let last = state.open[partition]?.last else { continue }
                let position = positions.first { $0.topicPartition == partition }?.offset
                if position != last + 1 {
                    state.positionMismatches.append("\(partition): position \(position.map(String.init) ?? "nil"), last returned \(last)")
                }
            }
        }
        do {
            try consumer.commitSync(positions)
            committed = true
            ledger.revoked(positions, committed: true)
        } catch {
            ledger.revoked(positions, committed: false)
            throw error
        }
    }
}
