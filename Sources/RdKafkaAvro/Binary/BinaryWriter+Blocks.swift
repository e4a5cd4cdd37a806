/// Avro's framing of arrays and maps, shared by ``ValueWriter`` and ``TreeWriter``: the items
/// in one block (the item count, then the items) and the empty block that ends every
/// sequence of blocks; no items, the empty block alone.
extension BinaryWriter {
    /// Writes an array's items, each by `writeItem`; a failing item's error is placed at
    /// its `[position]`.
    @inline(__always)
    mutating func writeArray<Item>(
        _ items: [Item],
        _ writeItem: (Item, inout BinaryWriter) throws(AvroError) -> Void
    ) throws(AvroError) {
        if !items.isEmpty {
            writeLong(Int64(items.count))
            for position in items.indices {
                do { try writeItem(items[position], &self) } catch { throw error.within("[\(position)]") }
            }
        }
        writeLong(0)
    }

    /// Writes a map's entries: each key, then its value by `writeValue`; a failing value's
    /// error is placed at its `["key"]`.
    @inline(__always)
    mutating func writeMap<Entries: Collection>(
        _ entries: Entries,
        key: (Entries.Element) -> String,
        _ writeValue: (Entries.Element, inout BinaryWriter) throws(AvroError) -> Void
    ) throws(AvroError) {
        if !entries.isEmpty {
            writeLong(Int64(entries.count))
            for entry in entries {
                let key = key(entry)
                writeString(key)
                do { try writeValue(entry, &self) } catch { throw error.within("[\"\(key)\"]") }
            }
        }
        writeLong(0)
    }
}
