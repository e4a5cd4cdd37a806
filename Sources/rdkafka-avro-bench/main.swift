import RdKafkaAvro

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Avro encode and decode throughput for a small record, on one thread, with no broker:
// the generic AvroValue path and the Codable path, each way.
// Usage: rdkafka-avro-bench [records]   (default 1 000 000)

struct Customer: Codable {
    var id: Int64
    var name: String
    var email: String
    var age: Int32
    var score: Double
}

let schema = try AvroSchema(parsing: """
    {"type": "record", "name": "Customer", "namespace": "com.example", "fields": [
      {"name": "id", "type": "long"}, {"name": "name", "type": "string"},
      {"name": "email", "type": "string", "default": "unknown@example.com"},
      {"name": "age", "type": "int"}, {"name": "score", "type": "double"}]}
    """)
let records = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 1_000_000
let value: AvroValue = .record([
    "id": .long(123_456), "name": .string("Ada Lovelace"), "email": .string("ada@example.com"), "age": .int(36), "score": .double(9.5),
])
let customer = Customer(id: 123_456, name: "Ada Lovelace", email: "ada@example.com", age: 36, score: 9.5)
let encoded = try schema.encode(value)
let reader = AvroReader(schema: schema)

func seconds(_ clock: clockid_t) -> Double {
    var now = timespec()
    clock_gettime(clock, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func measure(_ name: String, _ body: () throws -> Int) rethrows {
    let start = seconds(CLOCK_MONOTONIC)
    let startCPU = seconds(CLOCK_THREAD_CPUTIME_ID)
    let checksum = try body()
    let elapsed = seconds(CLOCK_MONOTONIC) - start
    let elapsedCPU = seconds(CLOCK_THREAD_CPUTIME_ID) - startCPU
    // Records per CPU-second is the per-core figure; it holds up on a loaded machine, where
    // wall-clock rates mostly measure the competition.
    print(
        "\(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(Int(Double(records) / elapsedCPU).formatted()) records/CPU-s"
            + "  \(Int(Double(records) / elapsed).formatted()) records/s wall  (checksum \(checksum))"
    )
}

extension Int {
    func formatted() -> String {
        var digits = String(self)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return groups.joined(separator: " ")
    }
}

print("rdkafka-avro-bench: \(records) records of \(schema.fullName ?? "?") (\(encoded.count) bytes each), one thread")
try measure("encode AvroValue") {
    var total = 0
    var buffer: [UInt8] = []
    buffer.reserveCapacity(64)
    for _ in 0..<records {
        buffer.removeAll(keepingCapacity: true)
        try schema.encode(value, into: &buffer)
        total &+= buffer.count
    }
    return total
}
try measure("decode AvroValue") {
    var total = 0
    try encoded.withUnsafeBytes { bytes in
        for _ in 0..<records {
            if case .record(let record) = try reader.decode(bytes) { total &+= record.fields.count }
        }
    }
    return total
}
let encoder = AvroEncoder()
try measure("encode Codable") {
    var total = 0
    for _ in 0..<records { total &+= try encoder.encode(customer, schema: schema).count }
    return total
}
let decoder = AvroDecoder()
try measure("decode Codable") {
    var total = 0
    try encoded.withUnsafeBytes { bytes in
        for _ in 0..<records { total &+= Int(try decoder.decode(Customer.self, from: bytes, using: reader).age) }
    }
    return total
}
