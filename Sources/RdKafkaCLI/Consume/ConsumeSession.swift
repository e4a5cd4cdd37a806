import RdKafka

/// One `consume` run: reads, writes each record, and stops at the count, at the end of every
/// partition (`-e`), on Ctrl-C, or when stdout is closed; then closes the consumer, which
/// (in a group, with commits on) commits what was written.
final class ConsumeSession {
    private let consumer: KafkaConsumer<[UInt8], [UInt8]?>
    private let writer: any RecordWriter
    private let decoder: any RecordValueDecoder
    private let limit: Int?
    private let ends: EndTracking?
    private let output = OutputStream.standardOutput()
    private var written = 0
    private var undecodable = 0
    private var progress = Progress(verb: "read")

    init(
        consumer: KafkaConsumer<[UInt8], [UInt8]?>,
        writer: any RecordWriter,
        decoder: any RecordValueDecoder,
        limit: Int?,
        ends: EndTracking?
    ) {
        self.consumer = consumer
        self.writer = writer
        self.decoder = decoder
        self.limit = limit
        self.ends = ends
    }

    func run(interrupt: InterruptSignal) async throws {
        var failure: (any Error)?
        do {
            try await read(interrupt: interrupt)
        } catch {
            failure = error
        }
        output.flush()
        progress.finish()
        await consumer.close()
        if let failure { throw failure }
        if undecodable > 0 { throw CLIFailure("\(undecodable) \(undecodable == 1 ? "record" : "records") could not be decoded") }
    }

    private func read(interrupt: InterruptSignal) async throws {
        while !interrupt.isRequested, !output.isClosed {
            // Never take more than the count still wanted: a record taken counts as
            // consumed, and in a group would be committed without having been printed.
            let wanted = limit.map { min($0 - written, 1000) } ?? 1000
            let records: [ConsumedRecord]
            do {
                records = try consumer.poll(maxRecords: wanted, timeout: .milliseconds(200))
            } catch {
                throw CLIFailure(error, while: "reading")
            }
            for record in records {
                await write(record)
                ends?.received(record.topicPartition, offset: record.offset)
            }
            output.flush()
            progress.update(written)
            if let limit, written >= limit { return }
            if let ends {
                let assignment: [TopicPartition]
                do { assignment = try consumer.assignment() } catch { throw CLIFailure(error, while: "reading the assignment") }
                if ends.isDone(assignment: assignment) { return }
            }
        }
    }

    /// Writes `record`; one that cannot be decoded is reported on stderr and skipped (kcat
    /// would stop there without `-E`, hiding the rest of the topic), and makes the exit
    /// status 1 once reading ends.
    private func write(_ record: ConsumedRecord) async {
        let decoded: DecodedRecord
        do {
            decoded = try await decoder.decode(record)
        } catch {
            undecodable += 1
            let reason = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
            Diagnostics.line("rdkafka: cannot decode \(record.topic) partition \(record.partition) offset \(record.offset): \(reason)")
            return
        }
        writer.write(record, decoded: decoded, to: output)
        written += 1
    }
}
