import Synchronization

/// The transactional side of one producer: its ``TransactionStateMachine`` and the flag the
/// send path reads.
///
/// Sends check ``acceptsSends``, one relaxed atomic load, instead of taking the state lock
/// per record; the flag is written only under the lock, together with the state.
final class TransactionManager: Sendable {
    private let machine = Locked(TransactionStateMachine())
    private let sendsAllowed = Atomic<Bool>(false)

    /// Whether records may be sent now (a transaction is open).
    var acceptsSends: Bool { sendsAllowed.load(ordering: .relaxed) }

    /// Why a record may not be sent now; only asked after ``acceptsSends`` said no.
    func sendRefusal() -> KafkaError {
        machine.withLock { machine in
            machine.acceptsSends ? nil : machine.sendRefusal()
        } ?? KafkaError(code: .state, message: "the transaction state changed during the send; try again")
    }

    /// librdkafka refused a record with `state` although a transaction is open: it has
    /// failed the transaction itself, after a broker error (an abortable error). Marks the
    /// refusal as requiring an abort, and the transaction as failed so that later sends and
    /// commits are refused without calling librdkafka.
    func classifySendRefusal(_ refusal: KafkaError) -> KafkaError {
        guard refusal.code == .state, !refusal.isFatal, !refusal.requiresTransactionAbort else { return refusal }
        var error = refusal
        error.message = "librdkafka failed the transaction and it must be aborted: \(refusal.message)"
        error.isRetriable = false
        error.requiresTransactionAbort = true
        machine.withLock { machine in
            machine.noteAbortableFailure(error)
            sendsAllowed.store(machine.acceptsSends, ordering: .relaxed)
        }
        return error
    }

    var hasOpenTransaction: Bool { machine.withLock { $0.hasOpenTransaction } }

    /// Runs one transactional call: checks the state machine, runs `call` on a thread of its
    /// own while holding the client `gate` open, and records the outcome.
    func perform(
        _ operation: TransactionStateMachine.Operation,
        client: NativeClient,
        gate: ClientGate,
        _ call: @escaping @Sendable (OpaquePointer) -> KafkaError?
    ) async throws(KafkaError) {
        let start = machine.withLock { machine in
            let action = machine.start(operation)
            sendsAllowed.store(machine.acceptsSends, ordering: .relaxed)
            return action
        }
        if case .reject(let error) = start { throw error }
        guard gate.enter() else {
            let closed = KafkaError.clientClosed("producer")
            finish(operation, error: closed)
            throw closed
        }
        let error = await ThreadRunner.run("rdkafka-\(operation.rawValue)") {
            call(client.pointer)
        }
        gate.leave()
        finish(operation, error: error)
        if let error { throw error }
    }

    private func finish(_ operation: TransactionStateMachine.Operation, error: KafkaError?) {
        machine.withLock { machine in
            machine.finish(operation, error: error)
            sendsAllowed.store(machine.acceptsSends, ordering: .relaxed)
        }
    }
}
