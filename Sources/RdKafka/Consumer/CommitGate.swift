/// When a group member may send a commit, as one value with explicit transitions.
///
/// librdkafka 2.0.2 sends a commit with the generation it knows when the commit is served.
/// A commit that leaves after the member's JoinGroup carries the old generation; the
/// coordinator answers it ILLEGAL_GENERATION once the new generation is formed, and
/// librdkafka then forgets the generation it has just joined, so the member's partitions
/// are lost and it rejoins (confluentinc/librdkafka#4059, fixed after 2.0.2). The gate keeps
/// commits from leaving while the member is rejoining:
///
/// ```text
///            JoinGroup sent                 revoke (a rejoin follows)
/// stable ──────────────────▶ rejoining ◀───────────────────────────── stable
///   ▲                          │   ▲
///   └── assign, no revoke ─────┘   └── assign after a revoke (the second cooperative round)
///       since the JoinGroup
/// ```
///
/// While ``Phase/rejoining``, a commit that can wait (an asynchronous commit with a
/// completion) is held and released when the member's assignment is stable again, or, if
/// partitions are revoked first, before they go. A commit whose caller waits for it is
/// refused (the caller may be the reading task, which must keep reading for the rebalance
/// to finish), but the latest refused one is released with the held ones, so what the
/// application had processed is still committed before its partitions move. Commits made inside the rebalance listener always go: the member has not
/// rejoined yet while its listener runs.
///
/// `Request` is what the consumer needs to send or fail a held commit later; the gate only
/// keeps it.
struct CommitGate<Request> {
    enum Phase: Equatable {
        /// Commits go out as they are made.
        case stable
        /// The member has sent a JoinGroup, or will shortly: a commit now could carry a
        /// generation that is about to end.
        case rejoining
    }

    enum Admission: Equatable {
        /// Send the commit now.
        case send
        /// The gate keeps the request; it comes back from a later transition.
        case hold
        /// Do not send; the caller gets a retriable `rebalanceInProgress`.
        case refuse
    }

    /// What to do with the held requests a transition hands back.
    enum Release {
        /// Send them now (the member still owns what they name, or owns it again).
        case send([Request])
        /// Fail them: the partitions are lost, or the consumer is closing.
        case fail([Request])

        var requests: [Request] {
            switch self {
            case .send(let requests), .fail(let requests): return requests
            }
        }
    }

    private(set) var phase = Phase.stable
    /// Inside the rebalance listener: commits go (the member rejoins only afterwards).
    private(set) var inRebalanceCallback = false
    /// Partitions were revoked since the last JoinGroup: the assignment that follows is the
    /// first cooperative round's, and a second round comes.
    private var revokedSinceJoin = false
    /// Decided when an assignment starts, before librdkafka is asked to apply it: once it
    /// is applied librdkafka may rejoin at once (the second round), and that JoinGroup can
    /// be seen before the assignment callback returns.
    private var assignmentEndsRebalance = false
    /// A JoinGroup went out while the rebalance callback ran.
    private var joinedDuringCallback = false
    /// The member has had an assignment, so it has a generation a commit could carry
    /// stale; before its first one nothing it commits can be lost this way.
    private var hasBeenAssigned = false
    /// In the order the commits were made (a later commit of a partition must land last).
    /// A refused waiting commit is kept too, only the latest one: the next supersedes it.
    private var held: [(request: Request, refused: Bool)] = []
    private var closed = false

    var heldCount: Int { held.count }

    /// Whether a commit may be sent now.
    var admitsWaitingCommit: Bool { closed || phase == .stable || inRebalanceCallback }

    /// A commit is about to be made; `canWait` when its caller does not wait for the answer.
    mutating func admit(_ request: Request, canWait: Bool) -> Admission {
        if admitsWaitingCommit { return .send }
        guard canWait else {
            held.removeAll { $0.refused }
            held.append((request, true))
            return .refuse
        }
        held.append((request, false))
        return .hold
    }

    /// The member sent a JoinGroup request (seen on librdkafka's broker thread).
    mutating func joinSent() {
        guard hasBeenAssigned else { return }
        phase = .rejoining
        revokedSinceJoin = false
        if inRebalanceCallback { joinedDuringCallback = true }
    }

    /// The member left its subscription: no rebalance will end the hold, so what was held
    /// goes now (librdkafka answers it), and commits go as they are made until the next
    /// assignment.
    mutating func unsubscribed() -> Release {
        phase = .stable
        hasBeenAssigned = false
        revokedSinceJoin = false
        return .send(takeHeld())
    }

    /// librdkafka asks to revoke partitions; the listener runs next. Held commits go now,
    /// while the partitions are still this member's (or fail, when they are already lost).
    mutating func revocationStarted(lost: Bool) -> Release {
        inRebalanceCallback = true
        joinedDuringCallback = false
        hasBeenAssigned = true
        revokedSinceJoin = true
        phase = .rejoining
        let requests = takeHeld()
        return lost ? .fail(requests) : .send(requests)
    }

    /// librdkafka asks to assign partitions; the listener runs next.
    mutating func assignmentStarted() {
        inRebalanceCallback = true
        hasBeenAssigned = true
        assignmentEndsRebalance = !revokedSinceJoin
        joinedDuringCallback = false
    }

    /// The listener returned and the revocation was applied: a rejoin follows.
    mutating func revocationFinished() {
        inRebalanceCallback = false
    }

    /// The listener returned and the assignment was applied. Unless partitions were revoked
    /// since the last JoinGroup (a second round follows), the rebalance is over and the held
    /// commits go.
    mutating func assignmentFinished() -> Release {
        inRebalanceCallback = false
        guard assignmentEndsRebalance, !joinedDuringCallback else { return .send([]) }
        phase = .stable
        return .send(takeHeld())
    }

    /// The consumer is closing: nothing held can be sent any more.
    mutating func close() -> Release {
        closed = true
        return .fail(takeHeld())
    }

    private mutating func takeHeld() -> [Request] {
        defer { held = [] }
        return held.map(\.request)
    }
}
