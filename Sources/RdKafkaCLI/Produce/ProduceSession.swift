import RdKafka

/// One `produce` run: sends records with many in flight, and counts every outcome, so the
/// command can say exactly how many records failed.
final class ProduceSession {
    /// Outcomes are collected once this many records are in flight, oldest first, which
    /// bounds memory on an endless stdin while keeping the pipeline full.
    private static let window = 20_000
    /// Failures printed one per line before only counting the rest.
    private static let printedFailures = 10

    private let producer: KafkaProducer<[UInt8], [UInt8]>
    private let template: RecordTemplate
    private var inFlight: [PendingDelivery] = []
    private var inFlightStart = 0
    private var read = 0
    private var failed = 0
    private var progress = Progress(verb: "sent")

    init(producer: KafkaProducer<[UInt8], [UInt8]>, template: RecordTemplate) {
        self.producer = producer
        self.template = template
    }

    /// Sends the records of a stream cut at `delimiter`, until its end or Ctrl-C.
    func sendStream(descriptor: Int32, delimiter: [UInt8], interrupt: InterruptSignal) async throws {
        let reader = InputReader(descriptor: descriptor, interrupt: interrupt)
        var splitter = RecordSplitter(delimiter: delimiter)
        reading: while true {
            switch try reader.next() {
            case .bytes(let chunk):
                for record in splitter.append(chunk) { await send(record, splittingKey: true) }
            case .end, .interrupted:
                break reading
            }
        }
        if let last = splitter.finish() { await send(last, splittingKey: true) }
    }

    func send(_ bytes: [UInt8], splittingKey: Bool) async {
        read += 1
        do {
            inFlight.append(try await producer.enqueue(template.record(from: bytes, splittingKey: splittingKey)))
        } catch {
            report(error)
        }
        if inFlight.count - inFlightStart >= Self.window { await collect(keeping: Self.window / 2) }
        progress.update(read)
    }

    /// Waits for every outcome, closes the producer, and fails if any record failed.
    func finish() async throws {
        await collect(keeping: 0)
        await producer.close()
        progress.finish()
        if failed > 0 {
            throw CLIFailure("\(failed) of \(read) records failed")
        }
    }

    private func collect(keeping remaining: Int) async {
        while inFlight.count - inFlightStart > remaining {
            if case .failure(let error) = await inFlight[inFlightStart].result { report(error) }
            inFlightStart += 1
        }
        if inFlightStart > Self.window {
            inFlight.removeFirst(inFlightStart)
            inFlightStart = 0
        }
    }

    private func report(_ error: KafkaError) {
        failed += 1
        if failed <= Self.printedFailures {
            Diagnostics.line("rdkafka: record not delivered: \(error.oneLine)")
        } else if failed == Self.printedFailures + 1 {
            Diagnostics.line("rdkafka: further failures are only counted")
        }
    }
}
