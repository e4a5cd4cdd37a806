import ArgumentParser
import RdKafka

/// kcat's output format string (`-f`): text with `%` fields and `\` escapes, compiled once.
///
/// Fields: `%t` topic, `%p` partition, `%o` offset, `%k` key, `%K` key length, `%s` value,
/// `%S` value length, `%T` timestamp (milliseconds since the epoch), `%h` headers
/// (`name=value` comma-separated), `%%` a percent sign. `%k` and `%s` print decoded JSON
/// when `-s` decodes them; lengths are always those of the bytes as stored. Lengths are -1 and
/// keys and values empty when null, `%T` is -1 without a timestamp. Escapes: `\n`, `\r`, `\t`, `\0`, `\\`.
struct RecordFormat: RecordWriter {
    enum Token: Equatable {
        case literal([UInt8])
        case topic, partition, offset, key, keyLength, value, valueLength, timestamp, headers
    }

    let tokens: [Token]

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    init(_ format: String) throws {
        var tokens: [Token] = []
        var literal: [UInt8] = []
        var bytes = Array(format.utf8)[...]
        func flushLiteral() {
            if !literal.isEmpty { tokens.append(.literal(literal)) }
            literal = []
        }
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let field = bytes.popFirst() else { throw ValidationError("--format ends with a lone %") }
                let token: Token
                switch field {
                case UInt8(ascii: "t"): token = .topic
                case UInt8(ascii: "p"): token = .partition
                case UInt8(ascii: "o"): token = .offset
                case UInt8(ascii: "k"): token = .key
                case UInt8(ascii: "K"): token = .keyLength
                case UInt8(ascii: "s"): token = .value
                case UInt8(ascii: "S"): token = .valueLength
                case UInt8(ascii: "T"): token = .timestamp
                case UInt8(ascii: "h"): token = .headers
                case UInt8(ascii: "%"):
                    literal.append(field)
                    continue
                default:
                    throw ValidationError("--format: unknown field %\(Character(Unicode.Scalar(field))) (known: %t %p %o %k %K %s %S %T %h %%)")
                }
                flushLiteral()
                tokens.append(token)
            case UInt8(ascii: "\\"):
                guard let escaped = bytes.popFirst() else { throw ValidationError("--format ends with a lone backslash") }
                switch escaped {
                case UInt8(ascii: "n"): literal.append(0x0A)
                case UInt8(ascii: "r"): literal.append(0x0D)
                case UInt8(ascii: "t"): literal.append(0x09)
                case UInt8(ascii: "0"): literal.append(0x00)
                case UInt8(ascii: "\\"): literal.append(escaped)
                default: throw ValidationError("--format: unknown escape \\\(Character(Unicode.Scalar(escaped)))")
                }
            default:
                literal.append(byte)
            }
        }
        flushLiteral()
        self.tokens = tokens
    }

    func write(_ record: ConsumedRecord, decoded: DecodedRecord, to output: OutputStream) {
        for token in tokens {
            switch token {
            case .literal(let bytes): output.write(bytes)
            case .topic: output.write(record.topic)
            case .partition: output.write(String(record.partition))
            case .offset: output.write(String(record.offset))
            case .key: decoded.key.write(to: output)
            case .keyLength: output.write(String(record.key?.count ?? -1))
            case .value: decoded.value.write(to: output)
            case .valueLength: output.write(String(record.value?.count ?? -1))
            case .timestamp: output.write(String(record.timestamp?.millisecondsSinceEpoch ?? -1))
            case .headers:
                for (index, header) in record.headers.enumerated() {
                    if index > 0 { output.write(",") }
                    output.write(header.key)
                    if let headerValue = header.value {
                        output.write("=")
                        output.write(headerValue)
                    }
                }
            }
        }
    }
}
