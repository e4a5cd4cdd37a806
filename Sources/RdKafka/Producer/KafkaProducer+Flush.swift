import Foundation

extension KafkaProducer {
    /// Sends what is lingering in librdkafka's batches now, and waits until every record sent
    /// so far has been acknowledged or has failed, and has been reported.
    ///
    /// Like `rd_kafka_flush`, this does not wait out `linger.ms`: the last batches leave at
    /// once. The waiting happens on a short-lived thread of its own, so the calling task
    /// suspends without blocking one of Swift's cooperative threads.
    ///
    /// Throws `timedOut` if records are still outstanding after `timeout`; they stay queued
    /// and will still be reported. Throws `clientClosed` if the producer is (or gets) closed.
    public func flush(timeout: Duration = .seconds(30)) async throws(KafkaError) {
        guard gate.enter() else { throw .clientClosed("producer") }
        let outstanding = NativeMessages.outstandingCount(client.pointer)
        gate.leave()
        if outstanding == 0 { return }
        switch await flushLingering(until: ContinuousClock.now + timeout, throughGate: true) {
        case .flushed:
            return
        case .closed:
            throw .clientClosed("producer")
        case .timedOut(let outstanding):
            throw KafkaError(code: .timedOut, message: "flush timed out with \(outstanding) records outstanding")
        }
    }

    enum FlushOutcome: Sendable {
        case flushed
        case closed
        case timedOut(outstanding: Int)
    }

    /// Runs librdkafka's flush on a thread of its own until nothing is outstanding or
    /// `deadline` has passed.
    ///
    /// - Parameter throughGate: whether each librdkafka call must pass the close gate (every
    ///   caller but close itself, which runs after the gate has shut and drained). The flush
    ///   runs in slices of at most 100 ms so that a close waits at most one slice for it.
    func flushLingering(until deadline: ContinuousClock.Instant, throughGate: Bool) async -> FlushOutcome {
        await ThreadRunner.run("rdkafka-flush") {
            self.flushInSlices(until: deadline, throughGate: throughGate)
        }
    }

    private func flushInSlices(until deadline: ContinuousClock.Instant, throughGate: Bool) -> FlushOutcome {
        while true {
            if throughGate, !gate.enter() { return .closed }
            let remaining = ContinuousClock.now.duration(to: deadline)
            let slice = remaining <= .zero ? 0 : max(1, min(Duration.timeoutMilliseconds(remaining), 100))
            let flushed = NativeMessages.flush(client.pointer, milliseconds: slice)
            let outstanding = flushed ? 0 : NativeMessages.outstandingCount(client.pointer)
            if throughGate { gate.leave() }
            if flushed || outstanding == 0 { return .flushed }
            if remaining <= .zero { return .timedOut(outstanding: outstanding) }
        }
    }
}
