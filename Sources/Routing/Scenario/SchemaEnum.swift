/// An enumeration of the scenario schema: decoding an unknown value is a ``FieldError`` that
/// lists the allowed values.
public protocol SchemaEnum: CaseIterable, Decodable, RawRepresentable where RawValue == String {}

extension SchemaEnum {
    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: raw) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw FieldError.invalid(path: FieldPath.string(decoder.codingPath), reason: "'\(raw)' is not one of \(allowed)")
        }
        self = value
    }
}
