/// A named variant of the scenarios: replaces the event lists of some phases
/// (`variants.<name>.replace_events.<phase id>`).
public struct Variant: Hashable, Sendable, Codable {
    /// Free text.
    public var description: String?
    /// New event lists by phase id.
    public var replaceEvents: [String: [ScenarioEvent]]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case description, replaceEvents = "replace_events"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        replaceEvents = try c.decodeIfPresent([String: [ScenarioEvent]].self, forKey: .replaceEvents) ?? [:]
    }

    /// Creates a variant.
    public init(description: String? = nil, replaceEvents: [String: [ScenarioEvent]]) {
        self.description = description
        self.replaceEvents = replaceEvents
    }
}
