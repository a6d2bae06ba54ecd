import Foundation
import Testing
@testable import Federation
import Learning

/// Aggregation rules against values computed by hand (or by a float64 re-statement of the
/// documented formula), never against the implementation's own output.
@Suite("Aggregation rules")
struct AggregationRuleTests {
    // MARK: FedAvg

    @Test("FedAvg: example-weighted mean, hand-computed")
    func fedAvgWeighted() throws {
        let agg = AggregationConfig.fedAvg.make(parameterCount: 3)
        // (1·[1,2,3] + 3·[4,5,6]) / 4 = [13, 17, 21] / 4
        let out = try #require(aggregate(agg, current: [9, 9, 9], [([1, 2, 3], 1), ([4, 5, 6], 3)]))
        #expect(out == [3.25, 4.25, 5.25])
        // Non-integer weights: (0.5·[2, -4] + 1.5·[6, 8]) / 2 = [5, 5]
        let agg2 = AggregationConfig.fedAvg.make(parameterCount: 2)
        #expect(aggregate(agg2, current: [0, 0], [([2, -4], 0.5), ([6, 8], 1.5)]) == [5, 5])
    }

    @Test("FedAvg accumulates in float64 (float32 would lose the small updates next to 2^24)")
    func fedAvgFloat64() throws {
        let agg = AggregationConfig.fedAvg.make(parameterCount: 2)
        // Column 0: (2^24 + 4·1) / 5 = 3355444 exactly. A float32 running sum stays at 2^24 (2^24 + 1
        // rounds back to 2^24), giving 3355443.2.
        // Column 1: float32 values 0.1 and 4 × 0.2, mean in float64 then rounded once.
        var updates: [([Float], Double)] = [([16_777_216, 0.1], 1)]
        for _ in 0..<4 { updates.append(([1, 0.2], 1)) }
        let out = try #require(aggregate(agg, current: [0, 0], updates))
        #expect(out[0] == 3_355_444)
        let expected1 = Float((Double(Float(0.1)) + 4 * Double(Float(0.2))) / 5)
        #expect(abs(out[1] - expected1) <= expected1.ulp)
    }

    @Test("zero-weight (and negative-weight) updates are ignored")
    func zeroWeightIgnored() throws {
        for config in [AggregationConfig.fedAvg, .median, .trimmedMean(beta: 0.2), .krum(byzantine: 0, select: 1)] {
            let agg = config.make(parameterCount: 2)
            let out = aggregate(agg, current: [0, 0], [([1000, -1000], 0), ([3, 4], 2), ([-7, 7], -1)])
            #expect(out == [3, 4], "\(config)")
            // Only zero-weight updates: nothing arrived.
            #expect(aggregate(agg, current: [0, 0], [([1, 1], 0)]) == nil, "\(config)")
        }
    }

    static let allConfigs: [AggregationConfig] = [
        .fedAvg, .fedAvgM(serverLearningRate: 1, momentum: 0.9), .fedAdagrad(eta: 0.1, tau: 1e-9),
        .fedAdam(eta: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-9), .fedYogi(eta: 0.01, beta1: 0.9, beta2: 0.99, tau: 1e-3),
        .median, .trimmedMean(beta: 0.2), .krum(byzantine: 1, select: 2),
    ]

    @Test("finish() is nil when nothing was added, also after an earlier round", arguments: allConfigs)
    func finishNil(config: AggregationConfig) throws {
        let agg = config.make(parameterCount: 3)
        agg.begin(current: [1, 2, 3])
        #expect(agg.finish() == nil)
        // A round with updates, then an empty one: the previous round's updates must not leak.
        #expect(aggregate(agg, current: [1, 2, 3], [([2, 2, 2], 1), ([4, 4, 4], 1), ([3, 3, 3], 1)]) != nil)
        agg.begin(current: [1, 2, 3])
        #expect(agg.finish() == nil)
    }

    // MARK: FedAvgM

    @Test("FedAvgM, two rounds: v = βv + (current − mean), w = current − ηv")
    func fedAvgM() throws {
        let agg = AggregationConfig.fedAvgM(serverLearningRate: 0.5, momentum: 0.9).make(parameterCount: 2)
        // Round 1: current [1, -2], mean [0, 0]: v = [1, -2], w = [1 - 0.5, -2 + 1] = [0.5, -1].
        let w1 = try #require(aggregate(agg, current: [1, -2], [([0, 0], 3)]))
        #expect(maxAbsDiff(w1, [0.5, -1.0] as [Double]) < 1e-6)
        // Round 2: current [0.5, -1], mean [1, 1]: v = 0.9·[1, -2] + [-0.5, -2] = [0.4, -3.8],
        // w = [0.5 - 0.2, -1 + 1.9] = [0.3, 0.9].
        let w2 = try #require(aggregate(agg, current: w1, [([1, 1], 2)]))
        #expect(maxAbsDiff(w2, [0.3, 0.9] as [Double]) < 1e-6)
    }

    @Test("FedAvgM with η = 1 and β = 0 is FedAvg")
    func fedAvgMDegenerate() throws {
        let agg = AggregationConfig.fedAvgM(serverLearningRate: 1, momentum: 0).make(parameterCount: 3)
        for _ in 0..<2 {
            let out = try #require(aggregate(agg, current: [7, 7, 7], [([1, 2, 3], 1), ([4, 5, 6], 3)]))
            #expect(maxAbsDiff(out, [3.25, 4.25, 5.25] as [Double]) < 1e-6)
        }
    }

    // MARK: Adaptive server optimisers (Reddi et al.), as ServerStep.swift documents them

    /// The documented rule in float64: Δ = mean − current; m = β₁m + (1−β₁)Δ; v by rule;
    /// w = current + η·m̂/(√v̂ + τ) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ) for Adam and Yogi.
    struct Reference {
        enum Rule { case adagrad, adam, yogi }
        let rule: Rule, eta: Double, beta1: Double, beta2: Double, tau: Double
        var m: [Double] = [], v: [Double] = [], t = 0

        mutating func step(current: [Double], mean: [Double]) -> [Double] {
            if m.isEmpty { m = Array(repeating: 0, count: current.count); v = m }
            t += 1
            let b1 = rule == .adagrad ? 0 : beta1
            var out = current
            for i in current.indices {
                let d = mean[i] - current[i]
                m[i] = b1 * m[i] + (1 - b1) * d
                switch rule {
                case .adagrad: v[i] += d * d
                case .adam: v[i] = beta2 * v[i] + (1 - beta2) * d * d
                case .yogi:
                    let s: Double = v[i] - d * d > 0 ? 1 : (v[i] - d * d < 0 ? -1 : 0)
                    v[i] -= (1 - beta2) * d * d * s
                }
                let mHat = rule == .adagrad ? m[i] : m[i] / (1 - pow(beta1, Double(t)))
                let vHat = rule == .adagrad ? v[i] : v[i] / (1 - pow(beta2, Double(t)))
                out[i] = current[i] + eta * mHat / (vHat.squareRoot() + tau)
            }
            return out
        }
    }

    static let start: [Float] = [1, -1, 0.5, 2]
    static let mean1: [Float] = [2, -1.5, 0.5, 2.05]   // Δ₁ = [1, -0.5, 0, 0.05]
    static let mean2: [Float] = [1.7, -0.5, 0.3, 2.1]

    func checkTwoSteps(_ config: AggregationConfig, _ reference: Reference, firstStep expected1: [Double]?) throws {
        let agg = config.make(parameterCount: 4)
        var ref = reference
        let w1 = try #require(aggregate(agg, current: Self.start, [(Self.mean1, 5)]))
        let r1 = ref.step(current: Self.start.map(Double.init), mean: Self.mean1.map(Double.init))
        if let expected1 { #expect(maxAbsDiff(w1, expected1) < 1e-5, "step 1 by hand: \(w1) vs \(expected1)") }
        #expect(maxAbsDiff(w1, r1) < 1e-5, "step 1: \(w1) vs \(r1)")
        let w2 = try #require(aggregate(agg, current: w1, [(Self.mean2, 5)]))
        let r2 = ref.step(current: r1, mean: Self.mean2.map(Double.init))
        #expect(maxAbsDiff(w2, r2) < 1e-5, "step 2: \(w2) vs \(r2)")
    }

    @Test("FedAdagrad: v += Δ², w = current + ηΔ/(√v + τ), two steps")
    func fedAdagrad() throws {
        // Step 1 by hand (v = Δ²): w = current + 0.1·Δ/(|Δ| + 0.01).
        let by1 = [1 + 0.1 / 1.01, -1 - 0.1 * 0.5 / 0.51, 0.5, 2 + 0.1 * 0.05 / 0.06]
        try checkTwoSteps(.fedAdagrad(eta: 0.1, tau: 0.01), Reference(rule: .adagrad, eta: 0.1, beta1: 0, beta2: 0, tau: 0.01), firstStep: by1)
    }

    @Test("FedAdam: bias-corrected moments, two steps")
    func fedAdam() throws {
        // Step 1 by hand: m̂ = Δ and v̂ = Δ², so w = current + η·sign(Δ) (0 where Δ = 0).
        let by1 = [1.1, -1.1, 0.5, 2.1]
        try checkTwoSteps(.fedAdam(eta: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-9),
                          Reference(rule: .adam, eta: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-9), firstStep: by1)
    }

    @Test("FedYogi: Yogi's sign rule on v, bias-corrected, two steps")
    func fedYogi() throws {
        // Step 1 equals Adam's (v starts at ~0, so v = (1−β₂)Δ²): w = current + η·sign(Δ).
        let by1 = [1.05, -1.05, 0.5, 2.05]
        try checkTwoSteps(.fedYogi(eta: 0.05, beta1: 0.9, beta2: 0.99, tau: 1e-6),
                          Reference(rule: .yogi, eta: 0.05, beta1: 0.9, beta2: 0.99, tau: 1e-6), firstStep: by1)
    }

    @Test("FedYogi's second step differs from FedAdam's where v > Δ² (the sign rule matters)")
    func yogiDiffersFromAdam() throws {
        // Coordinate 0: Δ₁ = 1 then Δ₂ small, so v₁ = 0.01 > Δ₂²: Yogi shrinks v by (1−β₂)Δ₂², Adam by (1−β₂)·v.
        let adam = AggregationConfig.fedAdam(eta: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-9).make(parameterCount: 1)
        let yogi = AggregationConfig.fedYogi(eta: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-9).make(parameterCount: 1)
        let a1 = try #require(aggregate(adam, current: [0], [([1], 1)]))
        let y1 = try #require(aggregate(yogi, current: [0], [([1], 1)]))
        #expect(a1 == y1)
        let a2 = try #require(aggregate(adam, current: a1, [([a1[0] + 0.05], 1)]))
        let y2 = try #require(aggregate(yogi, current: y1, [([y1[0] + 0.05], 1)]))
        // By hand: m = 0.9·0.1 + 0.1·0.05 = 0.095, m̂ = 0.095/0.19 = 0.5;
        // Adam v = 0.99·0.01 + 0.01·0.0025 = 0.009925, Yogi v = 0.01 − 0.01·0.0025 = 0.009975; v̂ = v/0.0199.
        let adamStep = 0.1 * 0.5 / (0.009925 / 0.0199).squareRoot()
        let yogiStep = 0.1 * 0.5 / (0.009975 / 0.0199).squareRoot()
        #expect(abs(Double(a2[0] - a1[0]) - adamStep) < 1e-5)
        #expect(abs(Double(y2[0] - y1[0]) - yogiStep) < 1e-5)
    }

    // MARK: Robust rules

    @Test("median, odd and even n, weights ignored")
    func median() throws {
        let agg = AggregationConfig.median.make(parameterCount: 3)
        let three: [([Float], Double)] = [([1, 5, 3], 1), ([2, -1, 4], 100), ([9, 0, 0], 1)]
        #expect(aggregate(agg, current: [0, 0, 0], three) == [2, 0, 3])
        let four = three + [([4, 7, 1], 1)]
        // Columns sorted: [1,2,4,9] → 3; [-1,0,5,7] → 2.5; [0,1,3,4] → 2.
        #expect(aggregate(agg, current: [0, 0, 0], four) == [3, 2.5, 2])
    }

    @Test("trimmed mean drops ⌊βn⌋ at each tail")
    func trimmedMean() throws {
        let updates: [([Float], Double)] = [([100, 1], 1), ([2, -50], 1), ([3, 2], 1), ([-40, 3], 1), ([4, 4], 1)]
        // β = 0.2, n = 5: drop 1 each side. Column 0 sorted [-40,2,3,4,100] → (2+3+4)/3 = 3;
        // column 1 sorted [-50,1,2,3,4] → (1+2+3)/3 = 2.
        #expect(aggregate(AggregationConfig.trimmedMean(beta: 0.2).make(parameterCount: 2), current: [0, 0], updates) == [3, 2])
        // β = 0.1: ⌊0.5⌋ = 0, the plain mean: [69/5, -40/5].
        let plain = try #require(aggregate(AggregationConfig.trimmedMean(beta: 0.1).make(parameterCount: 2), current: [0, 0], updates))
        #expect(maxAbsDiff(plain, [13.8, -8.0] as [Double]) < 1e-5)
        // β = 0.4, n = 5: drop 2 each side, the median.
        #expect(aggregate(AggregationConfig.trimmedMean(beta: 0.4).make(parameterCount: 2), current: [0, 0], updates) == [3, 2])
    }

    /// Four honest points and one far outlier (added first, so position does not decide).
    /// Squared distances: ab .01, ac .04, ad .18, bc .05, bd .13, cd .10; e is ~2·10⁴ away.
    /// With f = 1, n − f − 2 = 2 neighbours: scores a .05, b .06, c .09, d .23, e huge.
    static let krumUpdates: [([Float], Double)] = [([100, 100], 1), ([0, 0], 1), ([0.1, 0], 1), ([0, 0.2], 1), ([0.3, 0.3], 1)]

    @Test("Krum picks the update closest to its neighbours, never the outlier")
    func krum() throws {
        let out = aggregate(AggregationConfig.krum(byzantine: 1, select: 1).make(parameterCount: 2), current: [0, 0], Self.krumUpdates)
        #expect(out == [0, 0])
    }

    @Test("Multi-Krum averages the m best")
    func multiKrum() throws {
        let out = try #require(aggregate(AggregationConfig.krum(byzantine: 1, select: 3).make(parameterCount: 2), current: [0, 0], Self.krumUpdates))
        // Mean of a, b, c = [0.1/3, 0.2/3].
        #expect(maxAbsDiff(out, [0.1 / 3, 0.2 / 3] as [Double]) < 1e-6)
        let four = try #require(aggregate(AggregationConfig.krum(byzantine: 1, select: 4).make(parameterCount: 2), current: [0, 0], Self.krumUpdates))
        #expect(maxAbsDiff(four, [0.1, 0.125] as [Double]) < 1e-6)  // a..d: [0.4/4, 0.5/4]
    }

    // MARK: State

    static let statefulConfigs: [AggregationConfig] = [
        .fedAvgM(serverLearningRate: 0.7, momentum: 0.9), .fedAdagrad(eta: 0.1, tau: 1e-3),
        .fedAdam(eta: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-9), .fedYogi(eta: 0.05, beta1: 0.9, beta2: 0.99, tau: 1e-3),
    ]

    @Test("state → restore into a fresh aggregator continues identically", arguments: statefulConfigs)
    func stateRoundTrip(config: AggregationConfig) throws {
        let rounds: [[Float]] = [[1, 2, 3], [0.5, 2.5, 2], [0.8, 2.2, 2.6], [1.5, 1, 3]]
        let a = config.make(parameterCount: 3)
        var current: [Float] = [0, 0, 0]
        for mean in rounds.prefix(2) { current = try #require(aggregate(a, current: current, [(mean, 1)])) }
        let saved = a.state
        #expect(!saved.isEmpty)
        let b = config.make(parameterCount: 3)
        try b.restore(saved)
        let fresh = config.make(parameterCount: 3)
        var ca = current, cb = current, cf = current
        for mean in rounds.dropFirst(2) {
            ca = try #require(aggregate(a, current: ca, [(mean, 1)]))
            cb = try #require(aggregate(b, current: cb, [(mean, 1)]))
            cf = try #require(aggregate(fresh, current: cf, [(mean, 1)]))
        }
        #expect(ca == cb)
        // Control: without the state the continuation differs, so the check above has teeth.
        #expect(ca != cf)
    }

    @Test("stateless rules export no state")
    func statelessRules() throws {
        for config in [AggregationConfig.fedAvg, .median, .trimmedMean(beta: 0.1), .krum(byzantine: 0, select: 1)] {
            let agg = config.make(parameterCount: 2)
            _ = aggregate(agg, current: [0, 0], [([1, 1], 1)])
            #expect(agg.state.isEmpty, "\(config)")
        }
    }
}
