/// The transactional producer's state, as one value with explicit transitions.
///
/// It exists to give a clear, typed error for a misused API *before* librdkafka is called
/// (commit without begin, begin twice, a second call while one is running), and to tell
/// the send path cheaply whether records may be sent now.
///
/// ```text
/// uninitialized ──initTransactions──▶ ready ──beginTransaction──▶ inTransaction
///       ▲ (init timed out)              ▲ ▲                          │  │  │ ▲
///       └──────────────────             │ └────── commit succeeded ──┘  │  └─┘ sendOffsets, or a
///                                       │                               │      retriable failure
///                                       └─ abort succeeded ◀─ abortRequired ◀─ abortable failure
///                                                               (abort is also allowed from inTransaction)
/// any state ── fatal error ──▶ failed (only close remains)
/// ```
/// While a call runs the state is a busy one (initializing, beginning, sendingOffsets,
/// committing, aborting) and other transactional calls are refused with `conflict`.
///
/// Each call is two transitions: ``start(_:)`` (may the call run? it moves to a busy state)
/// and ``finish(_:error:)`` (where the call's outcome leaves the producer).
struct TransactionStateMachine {
    enum State {
        case uninitialized
        case initializing
        case ready
        case beginning
        case inTransaction
        case sendingOffsets
        case committing
        case aborting
        /// A call failed in a way that dooms the transaction: only abort may follow.
        case abortRequired(KafkaError)
        /// A fatal error: the producer can only be closed.
        case failed(KafkaError)
    }

    enum Operation: String {
        case initialize = "initTransactions"
        case begin = "beginTransaction"
        case sendOffsets = "sendOffsetsToTransaction"
        case commit = "commitTransaction"
        case abort = "abortTransaction"
    }

    enum StartAction {
        /// Call librdkafka, then report the outcome with ``finish(_:error:)``.
        case call
        /// Do not call librdkafka; throw this.
        case reject(KafkaError)
    }

    private(set) var state = State.uninitialized

    /// Whether records may be sent now: only inside a transaction.
    var acceptsSends: Bool {
        switch state {
        case .inTransaction, .sendingOffsets: return true
        default: return false
        }
    }

    /// Whether a transaction is open (and so should be aborted when the producer closes).
    var hasOpenTransaction: Bool {
        switch state {
        case .inTransaction, .abortRequired: return true
        default: return false
        }
    }

    mutating func start(_ operation: Operation) -> StartAction {
        switch (state, operation) {
        case (.failed(let error), _):
            return .reject(error)
        case (.initializing, _), (.beginning, _), (.sendingOffsets, _), (.committing, _), (.aborting, _):
            return .reject(KafkaError(
                code: .conflict,
                message: "\(operation.rawValue)() was called while \(busyOperation?.rawValue ?? "another call")() is running; transactional calls run one at a time"
            ))
        case (.uninitialized, .initialize):
            state = .initializing
        case (.uninitialized, _):
            return .reject(misuse(operation, "call initTransactions() first"))
        case (_, .initialize):
            return .reject(misuse(operation, "transactions are already initialized"))
        case (.ready, .begin):
            state = .beginning
        case (.ready, .sendOffsets), (.ready, .commit), (.ready, .abort):
            return .reject(misuse(operation, "no transaction is open; call beginTransaction() first"))
        case (.inTransaction, .begin):
            return .reject(misuse(operation, "a transaction is already open; commit or abort it first"))
        case (.inTransaction, .sendOffsets):
            state = .sendingOffsets
        case (.inTransaction, .commit):
            state = .committing
        case (.inTransaction, .abort), (.abortRequired, .abort):
            state = .aborting
        case (.abortRequired(let cause), _):
            return .reject(KafkaError(
                code: cause.code,
                message: "\(operation.rawValue)(): the transaction failed and must be aborted first: \(cause.message)",
                isRetriable: false,
                requiresTransactionAbort: true
            ))
        }
        return .call
    }

    /// Records the outcome of `operation`, which ``start(_:)`` admitted.
    mutating func finish(_ operation: Operation, error: KafkaError?) {
        if let error, error.isFatal {
            state = .failed(error)
            return
        }
        switch operation {
        case .initialize:
            // librdkafka lets a timed-out init be called again (it resumes).
            state = error == nil ? .ready : .uninitialized
        case .begin:
            state = error == nil ? .inTransaction : .ready
        case .sendOffsets, .commit:
            if let error, error.requiresTransactionAbort {
                state = .abortRequired(error)
            } else if error == nil, operation == .commit {
                state = .ready
            } else {
                // Success of sendOffsets, or a retriable failure: the transaction is still
                // open and the call may be repeated (librdkafka resumes a timed-out commit).
                state = .inTransaction
            }
        case .abort:
            if let error {
                state = .abortRequired(error)
            } else {
                state = .ready
            }
        }
    }

    /// librdkafka failed the open transaction by itself (seen when it refuses a record).
    mutating func noteAbortableFailure(_ error: KafkaError) {
        if case .inTransaction = state { state = .abortRequired(error) }
    }

    /// Why a record may not be sent now; only asked when ``acceptsSends`` is false.
    func sendRefusal() -> KafkaError {
        switch state {
        case .failed(let error):
            return error
        case .abortRequired(let cause):
            return KafkaError(
                code: .state,
                message: "the transaction failed and must be aborted before more records are sent: \(cause.message)",
                isRetriable: false,
                requiresTransactionAbort: true
            )
        case .committing, .aborting:
            return KafkaError(code: .state, message: "the transaction is being committed or aborted; begin a new one to send")
        case .uninitialized, .initializing:
            return KafkaError(code: .state, message: "a transactional producer sends only inside a transaction: call initTransactions() and beginTransaction() first, or use withTransaction")
        case .ready, .beginning, .inTransaction, .sendingOffsets:
            return KafkaError(code: .state, message: "a transactional producer sends only inside a transaction: call beginTransaction() first, or use withTransaction")
        }
    }

    private var busyOperation: Operation? {
        switch state {
        case .initializing: return .initialize
        case .beginning: return .begin
        case .sendingOffsets: return .sendOffsets
        case .committing: return .commit
        case .aborting: return .abort
        default: return nil
        }
    }

    private func misuse(_ operation: Operation, _ why: String) -> KafkaError {
        KafkaError(code: .state, message: "\(operation.rawValue)(): \(why)")
    }
}
