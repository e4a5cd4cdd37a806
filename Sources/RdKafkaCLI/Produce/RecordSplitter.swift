/// Cuts a byte stream into records at a delimiter, across chunk boundaries.
///
/// Every byte read ends up in a record: what follows the last delimiter is a record of its
/// own when the input ends (``finish()``), so a last line without a newline is not lost. An
/// empty line is an empty record.
struct RecordSplitter {
    let delimiter: [UInt8]
    private var pending: [UInt8] = []
    /// Where to resume looking for the delimiter in `pending` (bytes before it were searched).
    private var searchStart = 0

    init(delimiter: [UInt8]) {
        // The command refuses an empty delimiter; a newline keeps this total anyway.
        self.delimiter = delimiter.isEmpty ? [0x0A] : delimiter
    }

    /// The records completed by `chunk`.
    mutating func append(_ chunk: some Collection<UInt8>) -> [[UInt8]] {
        pending.append(contentsOf: chunk)
        var records: [[UInt8]] = []
        var recordStart = 0
        var index = max(searchStart, 0)
        let last = pending.count - delimiter.count
        while index <= last {
            if pending[index] == delimiter[0], matches(at: index) {
                records.append(Array(pending[recordStart..<index]))
                index += delimiter.count
                recordStart = index
            } else {
                index += 1
            }
        }
        pending.removeFirst(recordStart)
        // A delimiter may straddle the next chunk: search its possible start again.
        searchStart = max(0, pending.count - delimiter.count + 1)
        return records
    }

    /// The last record when the input ended without a delimiter; `nil` if nothing is left.
    mutating func finish() -> [UInt8]? {
        defer {
            pending = []
            searchStart = 0
        }
        return pending.isEmpty ? nil : pending
    }

    private func matches(at index: Int) -> Bool {
        for offset in 1..<delimiter.count where pending[index + offset] != delimiter[offset] {
            return false
        }
        return true
    }
}
