import Foundation

// Tolerant decoding helpers shared by the statistics types.

// MARK: - Tolerant decoding helpers

struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer {
    /// The value for `key`, or `nil` if it is missing, `null` or not decodable as `T`.
    func lenient<T: Decodable>(_ key: Key) -> T? {
        (try? decodeIfPresent(T.self, forKey: key)) ?? nil
    }

    /// The decodable values of the JSON object stored under `key`, skipping members that do not
    /// decode; empty if `key` is missing or not an object.
    func lenientObjectValues<T: Decodable>(_ type: T.Type, forKey key: Key) -> [T] {
        guard let object = try? nestedContainer(keyedBy: AnyCodingKey.self, forKey: key) else { return [] }
        return object.allKeys.compactMap { object.lenient($0) }
    }
}
