import Testing
@testable import Federation
import Learning

@Suite("FailureModel")
struct FailureModelTests {
    @Test("deterministic for (seed, client, round, local round)")
    func deterministic() {
        let a = FailureModel(seed: 42), b = FailureModel(seed: 42)
        for r in 1...20 {
            for l in 1...3 {
                #expect(a.draw(client: "c7", round: r, localRound: l) == b.draw(client: "c7", round: r, localRound: l))
                #expect(a.fails(client: "c7", probability: 0.5, round: r, localRound: l)
                        == b.fails(client: "c7", probability: 0.5, round: r, localRound: l))
            }
        }
    }

    @Test("independent of call order and of other clients' draws")
    func orderIndependent() {
        let m = FailureModel(seed: 9)
        let keys = (1...3).flatMap { c in (1...10).flatMap { r in (1...2).map { l in ("c\(c)", r, l) } } }
        var forward: [String: Double] = [:]
        for (c, r, l) in keys { forward["\(c)/\(r)/\(l)"] = m.draw(client: c, round: r, localRound: l) }
        var rng = SeededGenerator(seed: 1)
        var shuffled = keys
        rng.shuffle(&shuffled)
        let fresh = FailureModel(seed: 9)
        for (c, r, l) in shuffled {
            // Interleave unrelated draws: they must not shift the stream.
            _ = fresh.draw(client: "other", round: r, localRound: l)
            #expect(fresh.draw(client: c, round: r, localRound: l) == forward["\(c)/\(r)/\(l)"])
        }
    }

    @Test("streams differ by seed, client, round and local round")
    func streamsDiffer() {
        let m = FailureModel(seed: 3)
        let base = m.draw(client: "c1", round: 1, localRound: 2)
        #expect(FailureModel(seed: 4).draw(client: "c1", round: 1, localRound: 2) != base)
        #expect(m.draw(client: "c2", round: 1, localRound: 2) != base)
        #expect(m.draw(client: "c1", round: 2, localRound: 1) != base)
        #expect(m.draw(client: "c1", round: 1, localRound: 1) != base)
        // Over many (round, local round) pairs the draws are distinct.
        let draws = (1...200).flatMap { r in (1...3).map { l in m.draw(client: "c1", round: r, localRound: l) } }
        #expect(Set(draws).count == draws.count)
        #expect(draws.allSatisfy { $0 >= 0 && $0 < 1 })
    }

    @Test("failure frequency ≈ probability (within 5 standard deviations)", arguments: [0.05, 0.3, 0.6, 0.7, 0.95])
    func frequency(p: Double) {
        let m = FailureModel(seed: 2024)
        let n = 20_000
        var fails = 0
        for r in 1...(n / 2) {
            for l in 1...2 where m.fails(client: "unreliable", probability: p, round: r, localRound: l) { fails += 1 }
        }
        let sd = (Double(n) * p * (1 - p)).squareRoot()
        #expect(abs(Double(fails) - Double(n) * p) < 5 * sd, "\(fails) failures in \(n) draws at p = \(p)")
    }

    @Test("draws are uniform: each decile holds ~10 %")
    func uniform() {
        let m = FailureModel(seed: 77)
        var bins = [Int](repeating: 0, count: 10)
        let n = 20_000
        for r in 1...n { bins[Int(m.draw(client: "c\(r % 7)", round: r, localRound: 1) * 10)] += 1 }
        let expected = Double(n) / 10, sd = (Double(n) * 0.1 * 0.9).squareRoot()
        for b in bins { #expect(abs(Double(b) - expected) < 5 * sd, "\(bins)") }
    }

    @Test("p = 0 never fails, p = 1 always fails")
    func extremes() {
        let m = FailureModel(seed: 5)
        for r in 1...2000 {
            #expect(!m.fails(client: "c1", probability: 0, round: r, localRound: 1))
            #expect(m.fails(client: "c1", probability: 1, round: r, localRound: 1))
        }
    }
}
