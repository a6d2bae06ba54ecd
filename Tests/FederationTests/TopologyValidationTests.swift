import Testing
@testable import Federation

@Suite("Topology validation")
struct TopologyValidationTests {
    /// Validates and returns the error's message; records an issue when nothing was thrown.
    func message(_ t: Topology, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        do {
            _ = try t.validated()
            Issue.record("expected an invalid-topology error", sourceLocation: sourceLocation)
            return ""
        } catch let error as FederationError {
            guard case .invalidTopology = error else {
                Issue.record("expected .invalidTopology, got \(error)", sourceLocation: sourceLocation)
                return ""
            }
            return error.description
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            return ""
        }
    }

    let ga = Topology.Global(rounds: 3)
    func la(_ id: String, _ localRounds: Int = 1) -> Topology.Aggregator { .init(id: id, localRounds: localRounds) }
    func client(_ id: String, _ parent: String, epochs: Int = 1, p: Double = 0) -> Topology.Client {
        .init(id: id, parent: parent, epochs: epochs, failureProbability: p)
    }

    @Test("a valid hierarchical topology is sorted in natural id order")
    func validSorted() throws {
        let t = try Topology(global: ga, aggregators: [la("la10"), la("la2")],
                             clients: [client("c10", "la2"), client("c2", "la10"), client("c1", "la2")]).validated()
        #expect(t.aggregators.map(\.id) == ["la2", "la10"])
        #expect(t.clients.map(\.id) == ["c1", "c2", "c10"])
        #expect(t.children(of: "la2") == [0, 2])
    }

    @Test("client whose parent does not exist")
    func missingParent() {
        let m = message(Topology(global: ga, aggregators: [la("la1")], clients: [client("c1", "la1"), client("c2", "la9")]))
        #expect(m.contains("c2") && m.contains("la9"), "\(m)")
        let flat = message(Topology(global: ga, clients: [client("c1", "ga"), client("c5", "nowhere")]))
        #expect(flat.contains("c5") && flat.contains("nowhere"), "\(flat)")
    }

    @Test("local aggregator without clients")
    func emptyAggregator() {
        let m = message(Topology(global: ga, aggregators: [la("la1"), la("la2")], clients: [client("c1", "la1")]))
        #expect(m.contains("la2") && m.contains("no clients"), "\(m)")
    }

    @Test("duplicate ids (client/client, aggregator/client, client/global)")
    func duplicates() {
        let m1 = message(Topology(global: ga, clients: [client("c1", "ga"), client("c1", "ga")]))
        #expect(m1.contains("c1"), "\(m1)")
        let m2 = message(Topology(global: ga, aggregators: [la("x1")], clients: [client("x1", "x1")]))
        #expect(m2.contains("x1"), "\(m2)")
        let m3 = message(Topology(global: ga, clients: [client("ga", "ga")]))
        #expect(m3.contains("'ga'"), "\(m3)")
        let m4 = message(Topology(global: ga, aggregators: [la("la1"), la("la1")], clients: [client("c1", "la1")]))
        #expect(m4.contains("la1"), "\(m4)")
    }

    @Test("failure probability outside [0, 1]", arguments: [-0.1, 1.5, Double.nan])
    func badProbability(p: Double) {
        let m = message(Topology(global: ga, clients: [client("c1", "ga"), client("c2", "ga", p: p)]))
        #expect(m.contains("c2") && m.contains("failure probability"), "\(m)")
    }

    @Test("probabilities 0 and 1 are valid")
    func extremeProbabilities() throws {
        _ = try Topology(global: ga, clients: [client("c1", "ga", p: 0), client("c2", "ga", p: 1)]).validated()
    }

    @Test("epochs < 1")
    func badEpochs() {
        let m = message(Topology(global: ga, clients: [client("c1", "ga"), client("c3", "ga", epochs: 0)]))
        #expect(m.contains("c3") && m.contains("epochs"), "\(m)")
    }

    @Test("local rounds < 1")
    func badLocalRounds() {
        let m = message(Topology(global: ga, aggregators: [la("la1"), la("la2", 0)], clients: [client("c1", "la1"), client("c2", "la2")]))
        #expect(m.contains("la2") && m.contains("local rounds"), "\(m)")
    }

    @Test("client reporting to the GA in a hierarchical topology")
    func mixedTiers() {
        let m = message(Topology(global: ga, aggregators: [la("la1")], clients: [client("c1", "la1"), client("c2", "ga")]))
        #expect(m.contains("c2") && m.contains("global aggregator"), "\(m)")
    }

    @Test("no clients")
    func noClients() {
        let m = message(Topology(global: ga, clients: []))
        #expect(m.contains("no clients"), "\(m)")
    }

    @Test("global rounds < 1")
    func badRounds() {
        let m = message(Topology(global: .init(rounds: 0), clients: [client("c1", "ga")]))
        #expect(m.contains("rounds"), "\(m)")
    }
}
