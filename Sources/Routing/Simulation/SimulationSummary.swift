/// Statistics of one simulated run (or one phase of it).
public struct SimulationSummary: Hashable, Sendable {
    /// Statistics of one phase.
    public struct PhaseStats: Hashable, Sendable {
        /// Phase id.
        public var id: String
        /// Requests in the phase.
        public var requests: Int
        /// Success fraction.
        public var successRate: Double
        /// Mean response of the answered requests (ms).
        public var meanMs: Double
        /// Requests per instance.
        public var perInstance: [String: Int]
        /// Share of the phase's requests of instance `name`.
        public func share(_ name: String) -> Double {
            requests > 0 ? Double(perInstance[name] ?? 0) / Double(requests) : 0
        }
    }

    /// Number of requests.
    public var requests: Int
    /// Requests that met the SLO.
    public var successes: Int
    /// `successes / requests`.
    public var successRate: Double
    /// Mean response of the answered requests (ms).
    public var meanMs: Double
    /// Median response (ms, nearest rank).
    public var p50Ms: Double
    /// 99th percentile response (ms, nearest rank).
    public var p99Ms: Double
    /// Requests per instance.
    public var perInstance: [String: Int]
    /// Requests for which no instance was chosen.
    public var unrouted: Int
    /// Requests that ended in a transport error.
    public var transportErrors: Int
    /// Per-phase statistics, in phase order.
    public var phases: [PhaseStats]

    /// Share of all requests routed to instance `name`.
    public func share(_ name: String) -> Double {
        requests > 0 ? Double(perInstance[name] ?? 0) / Double(requests) : 0
    }

    /// Summarises `records` with phase ids `phaseIDs`.
    public init(records: [RequestRecord], phaseIDs: [String]) {
        requests = records.count
        successes = records.filter(\.success).count
        successRate = requests > 0 ? Double(successes) / Double(requests) : 0
        let responses = records.compactMap(\.responseMs)
        meanMs = responses.isEmpty ? 0 : responses.reduce(0, +) / Double(responses.count)
        let sorted = responses.sorted()
        func rank(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let k = Int((q * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(max(k, 0), sorted.count - 1)]
        }
        p50Ms = rank(0.5)
        p99Ms = rank(0.99)
        var counts: [String: Int] = [:]
        for r in records { if let i = r.instance { counts[i, default: 0] += 1 } }
        perInstance = counts
        unrouted = records.filter { $0.instance == nil }.count
        transportErrors = records.filter(\.transportError).count
        phases = phaseIDs.enumerated().map { p, id in
            let rs = records.filter { $0.phase == p }
            let ok = rs.filter(\.success).count
            let resp = rs.compactMap(\.responseMs)
            var c: [String: Int] = [:]
            for r in rs { if let i = r.instance { c[i, default: 0] += 1 } }
            return PhaseStats(id: id, requests: rs.count, successRate: rs.isEmpty ? 0 : Double(ok) / Double(rs.count),
                              meanMs: resp.isEmpty ? 0 : resp.reduce(0, +) / Double(resp.count), perInstance: c)
        }
    }

    /// The statistics of phase `id`.
    public func phase(_ id: String) -> PhaseStats? { phases.first { $0.id == id } }
}
