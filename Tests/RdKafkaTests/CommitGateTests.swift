@testable import RdKafka
import Testing

@Suite("Consumer: commits during rebalances (state machine)")
struct CommitGateTests {
    typealias Gate = CommitGate<Int>

    private func sent(_ release: Gate.Release) -> [Int]? {
        if case .send(let requests) = release { return requests }
        return nil
    }

    private func failed(_ release: Gate.Release) -> [Int]? {
        if case .fail(let requests) = release { return requests }
        return nil
    }

    @Test("a stable member sends every commit at once")
    func stableSends() {
        var gate = Gate()
        #expect(gate.admit(1, canWait: true) == .send)
        #expect(gate.admit(2, canWait: false) == .send)
        #expect(gate.admitsWaitingCommit)
        #expect(gate.heldCount == 0)
    }

    /// A member in its group since an earlier rebalance.
    private func assignedGate() -> Gate {
        var gate = Gate()
        gate.joinSent()
        gate.assignmentStarted()
        _ = gate.assignmentFinished()
        return gate
    }

    @Test("the first join holds nothing: the member has no generation to carry stale yet")
    func firstJoin() {
        var gate = Gate()
        gate.joinSent()
        #expect(gate.phase == .stable)
        #expect(gate.admit(1, canWait: false) == .send)
        gate.assignmentStarted()
        #expect(sent(gate.assignmentFinished()) == [])
        gate.joinSent()
        #expect(gate.phase == .rejoining, "a later join does")
    }

    @Test("unsubscribing sends what was held and ends the hold")
    func unsubscribe() {
        var gate = assignedGate()
        #expect(sent(gate.revocationStarted(lost: false)) == [])
        gate.revocationFinished()
        #expect(gate.admit(1, canWait: true) == .hold)
        #expect(sent(gate.unsubscribed()) == [1])
        #expect(gate.admit(2, canWait: false) == .send)
        gate.joinSent()
        #expect(gate.phase == .stable, "the next first join holds nothing either")
    }

    @Test("after the JoinGroup: held when the caller can wait, refused when it waits; sent when the assignment ends the round")
    func joinHoldsUntilAssignment() {
        var gate = assignedGate()
        gate.joinSent()
        #expect(gate.phase == .rejoining)
        #expect(gate.admit(1, canWait: true) == .hold)
        #expect(gate.admit(2, canWait: false) == .refuse)
        #expect(gate.admit(3, canWait: true) == .hold)
        #expect(gate.admit(4, canWait: false) == .refuse)
        #expect(!gate.admitsWaitingCommit)
        gate.assignmentStarted()
        // The listener's own commits go: the member rejoins only after it returns.
        #expect(gate.admit(9, canWait: false) == .send)
        // In order; of the refused ones only the latest, which supersedes the earlier.
        #expect(sent(gate.assignmentFinished()) == [1, 3, 4])
        #expect(gate.phase == .stable)
        #expect(gate.admit(5, canWait: false) == .send)
    }

    @Test("cooperative: a revocation sends what was held before the partitions go, and the assignment after it keeps holding for the second round")
    func cooperativeTwoRounds() {
        var gate = assignedGate()
        gate.joinSent()
        #expect(gate.admit(1, canWait: true) == .hold)
        // SyncGroup answered: some partitions move.
        #expect(sent(gate.revocationStarted(lost: false)) == [1])
        #expect(gate.admit(2, canWait: false) == .send, "commit on revoke, inside the listener")
        gate.revocationFinished()
        #expect(gate.admit(3, canWait: true) == .hold, "the rejoin follows the revocation")
        gate.assignmentStarted()
        #expect(sent(gate.assignmentFinished()) == [], "the first round's assignment does not end the rebalance")
        #expect(gate.phase == .rejoining)
        #expect(gate.admit(4, canWait: false) == .refuse)
        // Second round.
        gate.joinSent()
        #expect(gate.admit(5, canWait: true) == .hold)
        gate.assignmentStarted()
        #expect(sent(gate.assignmentFinished()) == [3, 4, 5])
        #expect(gate.phase == .stable)
    }

    @Test("the second round's JoinGroup seen before the first round's assignment callback returns: still held")
    func secondRoundJoinDuringCallback() {
        var gate = assignedGate()
        gate.joinSent()
        #expect(sent(gate.revocationStarted(lost: false)) == [])
        gate.revocationFinished()
        gate.assignmentStarted()
        // librdkafka applies the assignment and rejoins at once, before the callback returns.
        gate.joinSent()
        #expect(sent(gate.assignmentFinished()) == [])
        #expect(gate.phase == .rejoining)
        #expect(gate.admit(1, canWait: true) == .hold)
        gate.assignmentStarted()
        #expect(sent(gate.assignmentFinished()) == [1])
        #expect(gate.phase == .stable)
    }

    @Test("a new rebalance's JoinGroup during the assignment that ended the last one: still held")
    func joinDuringRoundEnd() {
        var gate = assignedGate()
        gate.joinSent()
        gate.assignmentStarted()
        gate.joinSent()
        #expect(sent(gate.assignmentFinished()) == [])
        #expect(gate.phase == .rejoining)
    }

    @Test("eager: revoke, JoinGroup, assign")
    func eager() {
        var gate = assignedGate()
        #expect(sent(gate.revocationStarted(lost: false)) == [])
        gate.revocationFinished()
        #expect(gate.admit(1, canWait: true) == .hold)
        gate.joinSent()
        #expect(gate.admit(2, canWait: true) == .hold)
        gate.assignmentStarted()
        #expect(sent(gate.assignmentFinished()) == [1, 2])
        #expect(gate.phase == .stable)
    }

    @Test("lost partitions fail what was held; the rejoin then holds until the next assignment")
    func lost() {
        var gate = assignedGate()
        gate.joinSent()
        #expect(gate.admit(1, canWait: true) == .hold)
        #expect(failed(gate.revocationStarted(lost: true)) == [1])
        gate.revocationFinished()
        #expect(gate.admit(2, canWait: true) == .hold)
        gate.joinSent()
        gate.assignmentStarted()
        #expect(sent(gate.assignmentFinished()) == [2])
    }

    @Test("close fails what is still held; afterwards nothing is held")
    func close() {
        var gate = assignedGate()
        gate.joinSent()
        #expect(gate.admit(1, canWait: true) == .hold)
        #expect(failed(gate.close()) == [1])
        #expect(gate.admit(2, canWait: true) == .send, "librdkafka reports the closed consumer")
        #expect(gate.heldCount == 0)
    }
}
