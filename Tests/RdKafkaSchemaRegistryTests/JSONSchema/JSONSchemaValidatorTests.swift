import RdKafkaSchemaRegistry
import Testing

@Suite("JSON Schema validator")
struct JSONSchemaValidatorTests {
    @Test("Valid documents pass and invalid ones fail naming their JSON pointer and keyword", arguments: JSONSchemaCorpus.cases)
    func corpus(_ testCase: JSONSchemaCorpus.Case) throws {
        let validator = try JSONSchemaValidator(schema: testCase.schema)
        for document in testCase.valid {
            #expect(throws: Never.self, "\(document)") { try validator.validate(json: document) }
        }
        for (document, path, keyword) in testCase.invalid {
            let error = #expect(throws: JSONSchemaValidationError.self, "\(document)") { try validator.validate(json: document) }
            #expect(error?.kind == .violation, "\(document)")
            #expect(error?.instancePath == path, "\(document): \(error.map { "\($0)" } ?? "")")
            #expect(error?.keyword == keyword, "\(document): \(error.map { "\($0)" } ?? "")")
        }
    }

    @Test("Schemas it cannot use are refused when the validator is built")
    func unusableSchemas() {
        for schema in ["not json", "[1]", #"{"pattern": "("}"#, ##"{"$ref": "https://example.com/other.json"}"##, ##"{"$ref": "#/$defs/missing"}"##] {
            let error = #expect(throws: SchemaRegistryError.self, "\(schema)") { try JSONSchemaValidator(schema: schema) }
            #expect(error?.kind == .invalidSchema, "\(schema)")
        }
    }

    @Test("A document that is not JSON fails as malformed")
    func malformedDocument() throws {
        let validator = try JSONSchemaValidator(schema: "true")
        let error = #expect(throws: JSONSchemaValidationError.self) { try validator.validate(json: #"{"a": "#) }
        #expect(error?.kind == .malformedDocument)
    }

    @Test("A reference loop and an exponential schema stop at the depth and step limits")
    func runawaySchemas() throws {
        let loop = try JSONSchemaValidator(schema: ##"{"$ref": "#"}"##)
        let loopError = #expect(throws: JSONSchemaValidationError.self) { try loop.validate(json: "1") }
        #expect(loopError?.kind == .tooComplex)

        // Every level tries both branches of a oneOf that refers back to the root: 2^depth.
        let exponential = try JSONSchemaValidator(schema: ##"{"oneOf": [{"$ref": "#"}, {"$ref": "#"}]}"##)
        let budgetError = #expect(throws: JSONSchemaValidationError.self) { try exponential.validate(json: "1") }
        #expect(budgetError?.kind == .tooComplex)
    }
}
