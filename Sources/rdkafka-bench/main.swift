print("rdkafka-bench: under construction")
