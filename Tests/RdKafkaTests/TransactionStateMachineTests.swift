@testable import RdKafka
import Testing

@Suite("Transactions: state machine")
struct TransactionStateMachineTests {
    private func rejection(_ action: TransactionStateMachine.StartAction) -> KafkaError? {
        if case .reject(let error) = action { return error }
        return nil
    }

    private func isCall(_ action: TransactionStateMachine.StartAction) -> Bool {
        if case .call = action { return true }
        return false
    }

    @Test("the happy path: init, begin, send offsets, commit, and again")
    func happyPath() {
        var machine = TransactionStateMachine()
        #expect(!machine.acceptsSends)
        #expect(isCall(machine.start(.initialize)))
        machine.finish(.initialize, error: nil)
        for _ in 0..<2 {
            #expect(!machine.acceptsSends)
            #expect(isCall(machine.start(.begin)))
            #expect(!machine.acceptsSends)
            machine.finish(.begin, error: nil)
            #expect(machine.acceptsSends)
            #expect(machine.hasOpenTransaction)
            #expect(isCall(machine.start(.sendOffsets)))
            #expect(machine.acceptsSends)
            machine.finish(.sendOffsets, error: nil)
            #expect(isCall(machine.start(.commit)))
            #expect(!machine.acceptsSends)
            machine.finish(.commit, error: nil)
            #expect(!machine.hasOpenTransaction)
        }
    }

    @Test("misuse is refused with a typed error before librdkafka is called")
    func misuse() {
        var machine = TransactionStateMachine()
        #expect(rejection(machine.start(.begin))?.code == .state)
        #expect(rejection(machine.start(.commit))?.message.contains("initTransactions() first") == true)
        #expect(machine.sendRefusal().code == .state)
        _ = machine.start(.initialize)
        #expect(rejection(machine.start(.begin))?.code == .conflict)
        machine.finish(.initialize, error: nil)
        #expect(rejection(machine.start(.initialize))?.message.contains("already initialized") == true)
        let commitWithoutBegin = rejection(machine.start(.commit))
        #expect(commitWithoutBegin?.code == .state)
        #expect(commitWithoutBegin?.message.contains("beginTransaction() first") == true)
        #expect(rejection(machine.start(.abort))?.code == .state)
        #expect(rejection(machine.start(.sendOffsets))?.code == .state)
        #expect(machine.sendRefusal().message.contains("beginTransaction() first"))
        _ = machine.start(.begin)
        machine.finish(.begin, error: nil)
        #expect(rejection(machine.start(.begin))?.message.contains("already open") == true)
        _ = machine.start(.commit)
        #expect(rejection(machine.start(.abort))?.code == .conflict)
        #expect(machine.sendRefusal().message.contains("being committed"))
    }

    @Test("an abortable failure allows only abort; a retriable one keeps the transaction open")
    func abortable() {
        var machine = TransactionStateMachine()
        _ = machine.start(.initialize); machine.finish(.initialize, error: nil)
        _ = machine.start(.begin); machine.finish(.begin, error: nil)
        _ = machine.start(.commit)
        machine.finish(.commit, error: KafkaError(code: .timedOut, message: "t", isRetriable: true))
        #expect(machine.acceptsSends)
        #expect(isCall(machine.start(.commit)))
        machine.finish(.commit, error: KafkaError(code: .topicAuthorizationFailed, message: "denied", requiresTransactionAbort: true))
        #expect(!machine.acceptsSends)
        #expect(machine.sendRefusal().requiresTransactionAbort)
        let refused = rejection(machine.start(.commit))
        #expect(refused?.requiresTransactionAbort == true)
        #expect(refused?.code == .topicAuthorizationFailed)
        #expect(rejection(machine.start(.begin))?.requiresTransactionAbort == true)
        #expect(isCall(machine.start(.abort)))
        machine.finish(.abort, error: nil)
        #expect(isCall(machine.start(.begin)))
    }

    @Test("a fatal error leaves only the failed state, and every call rethrows it")
    func fatal() {
        var machine = TransactionStateMachine()
        _ = machine.start(.initialize); machine.finish(.initialize, error: nil)
        _ = machine.start(.begin); machine.finish(.begin, error: nil)
        _ = machine.start(.commit)
        machine.finish(.commit, error: KafkaError(code: .producerFenced, message: "fenced", isFatal: true))
        #expect(!machine.acceptsSends)
        #expect(machine.sendRefusal().isFatal)
        for operation in [TransactionStateMachine.Operation.initialize, .begin, .sendOffsets, .commit, .abort] {
            #expect(rejection(machine.start(operation))?.isFatal == true)
        }
    }

    @Test("a transaction librdkafka failed by itself (seen as a refused record) must be aborted")
    func internalAbortableFailure() {
        var machine = TransactionStateMachine()
        _ = machine.start(.initialize); machine.finish(.initialize, error: nil)
        machine.noteAbortableFailure(KafkaError(code: .state, message: "not now"))
        #expect(isCall(machine.start(.begin)), "outside a transaction the note changes nothing")
        machine.finish(.begin, error: nil)
        machine.noteAbortableFailure(KafkaError(code: .state, message: "AbortableError", requiresTransactionAbort: true))
        #expect(!machine.acceptsSends)
        #expect(rejection(machine.start(.commit))?.requiresTransactionAbort == true)
        #expect(isCall(machine.start(.abort)))
    }

    @Test("a timed-out init may be called again")
    func initRetry() {
        var machine = TransactionStateMachine()
        _ = machine.start(.initialize)
        machine.finish(.initialize, error: KafkaError(code: .timedOut, message: "t", isRetriable: true))
        #expect(isCall(machine.start(.initialize)))
    }
}
