import RdKafkaAvro

print("rdkafka-avro-bench: not implemented yet")
