/// A phase of a scenario: from request `startRequest` on, after applying `events`.
public struct Phase: Hashable, Sendable, Codable {
    /// Phase identifier (`S`, `T0` ... `T4`).
    public var id: String
    /// Index of the first request of the phase (requests are numbered from 0).
    public var startRequest: Int
    /// Free text.
    public var description: String?
    /// Events applied just before request `startRequest` is routed, in order.
    public var events: [ScenarioEvent]

    /// Creates a phase.
    public init(id: String, startRequest: Int, description: String? = nil, events: [ScenarioEvent] = []) {
        self.id = id
        self.startRequest = startRequest
        self.description = description
        self.events = events
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, description, events, startRequest = "start_request"
    }
}
