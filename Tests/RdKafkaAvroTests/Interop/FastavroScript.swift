/// The Python side of the fastavro interoperability test. It reads the cases the Swift side
/// wrote, decodes Swift's bytes with fastavro and compares them with its own expected values,
/// writes its own values with fastavro for Swift to decode, and reports fastavro's Parsing
/// Canonical Form and CRC-64-AVRO fingerprint of each writer schema.
enum FastavroScript {
    static let source = #"""
import io, json, sys, uuid
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
import fastavro
from fastavro.schema import fingerprint, parse_schema, to_parsing_canonical_form

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
NAIVE_EPOCH = datetime(1970, 1, 1)
EVERYTHING = {
    "n": None, "b": True, "i": -42, "l": 1 << 40, "f": 1.5, "d": -2.25, "by": b"\x00\x01\xff", "s": "h\u00e9llo",
    "colour": "GREEN", "tags": ["a", "b"], "scores": {"x": 7}, "maybe": "yes", "hash": bytes(range(16)),
    "address": {"street": "Main St", "zip": 12345}, "amount": Decimal("12.34"), "fixedAmount": Decimal("12.3456"),
    "id": uuid.UUID("123e4567-e89b-12d3-a456-426614174000"), "fixedId": b"\xab" * 16,
    "day": date(1970, 1, 1) + timedelta(days=19000), "tMillis": time(1, 0, 0), "tMicros": time(1, 0, 0),
    "tsMillis": EPOCH + timedelta(milliseconds=1_700_000_000_123),
    "tsMicros": EPOCH + timedelta(microseconds=1_700_000_000_123_456), "tsNanos": 1_700_000_000_123_456_789,
    "ltsMillis": NAIVE_EPOCH + timedelta(milliseconds=1_700_000_000_123),
    "ltsMicros": NAIVE_EPOCH + timedelta(microseconds=1_700_000_000_123_456), "ltsNanos": 1_700_000_000_123_456_789,
    "span": bytes([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]), "big": b"\x04\xd2\x02",
}
# name: (what Python writes with the writer schema, what Python expects to read from Swift's bytes)
CASES = {
    "everything": (EVERYTHING, EVERYTHING),
    "string": ("h\u00e9llo \U0001F600", "h\u00e9llo \U0001F600"),
    "nullableLong": (5, 5),
    "nullableNull": (None, None),
    "map": ({"a": 1, "b": -2, "c": 1 << 62}, {"a": 1, "b": -2, "c": 1 << 62}),
    "nestedArrays": ([[{"x": 1}], [], [{"x": -1}, {"x": 2}]], [[{"x": 1}], [], [{"x": -1}, {"x": 2}]]),
    "recursive": ({"value": 1, "next": {"value": 2, "next": None}}, {"value": 1, "next": {"value": 2, "next": None}}),
    "customerV1ToV2": ({"id": 8, "name": "Bob", "faxNumber": "555"}, {"id": 7, "name": "Ada", "email": "unknown@example.com"}),
    "customerV2ToV1": ({"id": 9, "name": "Cy", "email": "cy@example.com"}, {"id": 10, "name": "Di", "faxNumber": None}),
    "enumDefault": ("JOKER", "UNKNOWN"),
    "promotion": (-3, -3.0),
}

def main():
    cases = json.load(open(sys.argv[1]))
    results = {}
    for case in cases:
        name = case["name"]
        writer = parse_schema(json.loads(case["writer"]))
        reader = parse_schema(json.loads(case["reader"])) if case.get("reader") else None
        written, expected = CASES[name]
        result = {"mismatch": None}
        try:
            decoded = fastavro.schemaless_reader(io.BytesIO(bytes.fromhex(case["swiftHex"])), writer, reader)
            if decoded != expected:
                result["mismatch"] = "fastavro read %r, expected %r" % (decoded, expected)
        except Exception as error:
            result["mismatch"] = "fastavro failed to read Swift's bytes: %r" % (error,)
        out = io.BytesIO()
        fastavro.schemaless_writer(out, writer, written)
        result["pythonHex"] = out.getvalue().hex()
        canonical = to_parsing_canonical_form(writer)
        result["canonical"] = canonical
        result["fingerprint"] = fingerprint(canonical, "CRC-64-AVRO")
        results[name] = result
    json.dump(results, sys.stdout)

main()
"""#
}
