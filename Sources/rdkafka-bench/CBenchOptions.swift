import CRdKafkaBench

/// C strings for the raw-C side's option structs, alive until the value is released.
final class CStrings {
    private var pointers: [UnsafeMutablePointer<CChar>] = []

    func make(_ string: String) -> UnsafePointer<CChar> {
        let pointer = strdup(string)!
        pointers.append(pointer)
        return UnsafePointer(pointer)
    }

    /// Keys and values as two parallel arrays, as the C option structs take them.
    func make(_ pairs: [(String, String)]) -> (keys: UnsafeMutablePointer<UnsafePointer<CChar>?>, values: UnsafeMutablePointer<UnsafePointer<CChar>?>) {
        let keys = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: max(pairs.count, 1))
        let values = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: max(pairs.count, 1))
        for (index, pair) in pairs.enumerated() {
            keys[index] = make(pair.0)
            values[index] = make(pair.1)
        }
        arrays.append(keys)
        arrays.append(values)
        return (keys, values)
    }

    private var arrays: [UnsafeMutablePointer<UnsafePointer<CChar>?>] = []

    deinit {
        for pointer in pointers { free(pointer) }
        for array in arrays { array.deallocate() }
    }
}

extension crk_result {
    /// The C side's error text, empty on success.
    var errorText: String {
        withUnsafeBytes(of: error) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
