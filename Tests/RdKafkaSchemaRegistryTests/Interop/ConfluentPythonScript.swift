/// The Python side of ``ConfluentPythonInteropTests``: confluent-kafka-python's own
/// AvroSerializer and AvroDeserializer against the in-process registry.
///
/// `produce BOOTSTRAP REGISTRY TOPIC SCHEMA_JSON RECORDS_JSON` sends the records;
/// `consume BOOTSTRAP REGISTRY TOPIC COUNT` prints the records it reads as one JSON array.
enum ConfluentPythonScript {
    static let source = #"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

mode, bootstrap, registry_url, topic = sys.argv[1:5]
registry = SchemaRegistryClient({"url": registry_url})

if mode == "produce":
    schema, records = sys.argv[5], json.loads(sys.argv[6])
    serializer = AvroSerializer(registry, schema, conf={"auto.register.schemas": True})
    producer = Producer({"bootstrap.servers": bootstrap})
    for record in records:
        value = serializer(record, SerializationContext(topic, MessageField.VALUE))
        producer.produce(topic, key=str(record["id"]).encode(), value=value)
    if producer.flush(30) != 0:
        sys.exit("records not delivered")
else:
    count = int(sys.argv[5])
    deserializer = AvroDeserializer(registry)
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "python-interop", "enable.auto.commit": False})
    consumer.assign([TopicPartition(topic, 0, 0)])
    values, deadline = [], time.time() + 30
    while len(values) < count and time.time() < deadline:
        message = consumer.poll(0.2)
        if message is None:
            continue
        if message.error():
            sys.exit(str(message.error()))
        values.append(deserializer(message.value(), SerializationContext(topic, MessageField.VALUE)))
    consumer.close()
    print(json.dumps(values))
"""#
}
