/// Who federates with whom: a global aggregator, optional local aggregators, and clients.
///
/// Flat: every client's parent is the global aggregator. Hierarchical: every client's parent is
/// a local aggregator (LA), and every LA reports to the global aggregator (GA). Node order is
/// natural id order (`n2 < n10`), which fixes aggregation order and so makes runs reproducible.
public struct Topology: Sendable, Equatable {
    /// The global aggregator.
    public struct Global: Sendable, Equatable {
        /// Its id.
        public var id: String
        /// Global rounds R.
        public var rounds: Int
        /// How it aggregates (the LAs' models, or the clients' when flat).
        public var aggregation: AggregationConfig
        /// Creates the global aggregator.
        public init(id: String = "ga", rounds: Int, aggregation: AggregationConfig = .fedAvg) {
            self.id = id; self.rounds = rounds; self.aggregation = aggregation
        }
    }

    /// A local aggregator.
    public struct Aggregator: Sendable, Equatable {
        /// Its id.
        public var id: String
        /// Local rounds L per global round.
        public var localRounds: Int
        /// How it aggregates its clients' models.
        public var aggregation: AggregationConfig
        /// Cost per MB on its link to the global aggregator (each direction).
        public var cost: Double
        /// Link bandwidth to the global aggregator in MB/s (`nil`: transfers take no simulated time).
        public var bandwidth: Double?
        /// Creates a local aggregator.
        public init(id: String, localRounds: Int = 1, aggregation: AggregationConfig = .fedAvg, cost: Double = 0, bandwidth: Double? = nil) {
            self.id = id; self.localRounds = localRounds; self.aggregation = aggregation; self.cost = cost; self.bandwidth = bandwidth
        }
    }

    /// A client.
    public struct Client: Sendable, Equatable {
        /// Its id.
        public var id: String
        /// Its parent: a local aggregator's id, or the global aggregator's when flat.
        public var parent: String
        /// Epochs E per local round.
        public var epochs: Int
        /// Probability of failing in any round it is asked to train, in [0, 1].
        public var failureProbability: Double
        /// Cost per MB on its link to its parent (each direction).
        public var cost: Double
        /// Training speed in samples/s for simulated time (`nil`: training takes no simulated time).
        public var speed: Double?
        /// Link bandwidth to its parent in MB/s (`nil`: transfers take no simulated time).
        public var bandwidth: Double?
        /// Creates a client.
        public init(id: String, parent: String, epochs: Int = 1, failureProbability: Double = 0, cost: Double = 0,
                    speed: Double? = nil, bandwidth: Double? = nil) {
            self.id = id; self.parent = parent; self.epochs = epochs; self.failureProbability = failureProbability
            self.cost = cost; self.speed = speed; self.bandwidth = bandwidth
        }
    }

    /// The global aggregator.
    public var global: Global
    /// Local aggregators (empty when flat), in natural id order after `validated()`.
    public var aggregators: [Aggregator]
    /// Clients in natural id order after `validated()`.
    public var clients: [Client]

    /// Creates a topology (call `validated()` before use).
    public init(global: Global, aggregators: [Aggregator] = [], clients: [Client]) {
        self.global = global; self.aggregators = aggregators; self.clients = clients
    }

    /// Whether clients report to local aggregators.
    public var isHierarchical: Bool { !aggregators.isEmpty }

    /// The clients of aggregator `id` (the GA's own when flat), in order.
    public func children(of id: String) -> [Int] {
        clients.indices.filter { clients[$0].parent == id }
    }

    /// The same topology, checked and sorted by natural id order. Errors name the node.
    public func validated() throws -> Topology {
        var t = self
        t.aggregators.sort { NaturalOrder.less($0.id, $1.id) }
        t.clients.sort { NaturalOrder.less($0.id, $1.id) }
        guard t.global.rounds >= 1 else { throw FederationError.invalidTopology("global rounds must be at least 1, found \(t.global.rounds)") }
        guard !t.clients.isEmpty else { throw FederationError.invalidTopology("there are no clients") }
        var ids = Set([t.global.id])
        for a in t.aggregators {
            guard !a.id.isEmpty, ids.insert(a.id).inserted else { throw FederationError.invalidTopology("node id '\(a.id)' is empty or used twice") }
            guard a.localRounds >= 1 else { throw FederationError.invalidTopology("aggregator \(a.id): local rounds must be at least 1, found \(a.localRounds)") }
            guard a.cost >= 0, a.cost.isFinite else { throw FederationError.invalidTopology("aggregator \(a.id): cost must be a non-negative number, found \(a.cost)") }
            if let b = a.bandwidth, !(b > 0) { throw FederationError.invalidTopology("aggregator \(a.id): bandwidth must be positive, found \(b)") }
        }
        let parents = Set(t.isHierarchical ? t.aggregators.map(\.id) : [t.global.id])
        for c in t.clients {
            guard !c.id.isEmpty, ids.insert(c.id).inserted else { throw FederationError.invalidTopology("node id '\(c.id)' is empty or used twice") }
            guard parents.contains(c.parent) else {
                if c.parent == t.global.id && t.isHierarchical {
                    throw FederationError.invalidTopology("client \(c.id) reports to the global aggregator, but the topology has local aggregators (mixing tiers is not supported)")
                }
                throw FederationError.invalidTopology("client \(c.id) has parent '\(c.parent)', which is not \(t.isHierarchical ? "a local aggregator" : "the global aggregator '\(t.global.id)'")")
            }
            guard c.epochs >= 1 else { throw FederationError.invalidTopology("client \(c.id): epochs must be at least 1, found \(c.epochs)") }
            guard (0...1).contains(c.failureProbability) else {
                throw FederationError.invalidTopology("client \(c.id): failure probability must be in [0, 1], found \(c.failureProbability)")
            }
            guard c.cost >= 0, c.cost.isFinite else { throw FederationError.invalidTopology("client \(c.id): cost must be a non-negative number, found \(c.cost)") }
            if let s = c.speed, !(s > 0) { throw FederationError.invalidTopology("client \(c.id): speed must be positive, found \(s)") }
            if let b = c.bandwidth, !(b > 0) { throw FederationError.invalidTopology("client \(c.id): bandwidth must be positive, found \(b)") }
        }
        for a in t.aggregators where t.children(of: a.id).isEmpty {
            throw FederationError.invalidTopology("aggregator \(a.id) has no clients")
        }
        return t
    }
}

/// Natural ordering of ids: digit runs compare as numbers (`n2 < n10`), the rest byte-wise.
public enum NaturalOrder {
    /// Whether `a` sorts before `b`.
    public static func less(_ a: String, _ b: String) -> Bool {
        var i = a.unicodeScalars.makeIterator(), j = b.unicodeScalars.makeIterator()
        var x = i.next(), y = j.next()
        while let cx = x, let cy = y {
            if cx.properties.numericType == .decimal, cy.properties.numericType == .decimal {
                var nx = "", ny = ""
                while let c = x, c.properties.numericType == .decimal { nx.unicodeScalars.append(c); x = i.next() }
                while let c = y, c.properties.numericType == .decimal { ny.unicodeScalars.append(c); y = j.next() }
                let tx = nx.drop { $0 == "0" }, ty = ny.drop { $0 == "0" }
                if tx.count != ty.count { return tx.count < ty.count }
                if tx != ty { return tx < ty }
                if nx.count != ny.count { return nx.count < ny.count }
                continue
            }
            if cx != cy { return cx.value < cy.value }
            x = i.next(); y = j.next()
        }
        return x == nil && y != nil
    }
}
