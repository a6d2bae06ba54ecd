/// A server-side aggregation rule and its hyper-parameters (Flower's names and defaults).
///
/// FedProx is not a server rule: it is FedAvg at the server plus a proximal term in the clients'
/// objective (the federation's `mu`).
public enum AggregationConfig: Sendable, Equatable, CustomStringConvertible {
    /// Example-weighted mean (McMahan et al.).
    case fedAvg
    /// FedAvg whose averaged update is applied with server momentum (Hsu et al.).
    case fedAvgM(serverLearningRate: Double, momentum: Double)
    /// Adaptive server optimisers on the pseudo-gradient (Reddi et al.).
    case fedAdagrad(eta: Double, tau: Double)
    /// FedAdam.
    case fedAdam(eta: Double, beta1: Double, beta2: Double, tau: Double)
    /// FedYogi.
    case fedYogi(eta: Double, beta1: Double, beta2: Double, tau: Double)
    /// Coordinate-wise median (unweighted).
    case median
    /// Coordinate-wise mean after dropping a fraction `beta` at each tail (unweighted).
    case trimmedMean(beta: Double)
    /// Krum (Blanchard et al.): the update closest to its n − f − 2 nearest neighbours; with
    /// `select` > 1, the mean of the `select` best (Multi-Krum).
    case krum(byzantine: Int, select: Int)

    /// The accepted textual forms, for messages.
    public static let forms = "fedavg, fedavgm[:MOMENTUM[:SERVER_LR]], fedadagrad[:ETA], fedadam[:ETA], fedyogi[:ETA], median, trimmed[:BETA], krum[:F[:M]]"

    /// Parses `fedavg`, `fedavgm:0.9`, `fedadam:0.01`, `trimmed:0.1`, `krum:1:3`, …
    public init(parsing text: String) throws {
        let parts = text.lowercased().split(separator: ":").map { String($0).trimmingCharacters(in: .whitespaces) }
        func number(_ i: Int, _ def: Double) throws -> Double {
            guard i < parts.count else { return def }
            guard let v = Double(parts[i]), v.isFinite else { throw FederationError.invalidConfiguration("aggregation '\(text)': '\(parts[i])' is not a number") }
            return v
        }
        switch parts.first ?? "" {
        case "fedavg", "fedprox": self = .fedAvg
        case "fedavgm": self = .fedAvgM(serverLearningRate: try number(2, 1), momentum: try number(1, 0.9))
        case "fedadagrad": self = .fedAdagrad(eta: try number(1, 0.1), tau: 1e-9)
        case "fedadam": self = .fedAdam(eta: try number(1, 0.1), beta1: 0.9, beta2: 0.99, tau: 1e-9)
        case "fedyogi": self = .fedYogi(eta: try number(1, 0.01), beta1: 0.9, beta2: 0.99, tau: 1e-3)
        case "median", "fedmedian": self = .median
        case "trimmed", "trimmedmean", "fedtrimmedavg": self = .trimmedMean(beta: try number(1, 0.2))
        case "krum", "multikrum": self = .krum(byzantine: Int(try number(1, 0)), select: Int(try number(2, 1)))
        default: throw FederationError.invalidConfiguration("unknown aggregation '\(text)' (expected one of: \(Self.forms))")
        }
        try validate()
    }

    /// Checks the hyper-parameters.
    public func validate() throws {
        switch self {
        case .fedAvg, .median: break
        case let .fedAvgM(lr, m):
            guard lr > 0, (0..<1).contains(m) else { throw FederationError.invalidConfiguration("fedavgm: server learning rate must be positive and momentum in [0, 1)") }
        case let .fedAdagrad(eta, tau), let .fedAdam(eta, _, _, tau), let .fedYogi(eta, _, _, tau):
            guard eta > 0, tau > 0 else { throw FederationError.invalidConfiguration("\(self): eta and tau must be positive") }
        case let .trimmedMean(beta):
            guard (0..<0.5).contains(beta) else { throw FederationError.invalidConfiguration("trimmed mean: beta must be in [0, 0.5), found \(beta)") }
        case let .krum(f, m):
            guard f >= 0, m >= 1 else { throw FederationError.invalidConfiguration("krum: byzantine count must be ≥ 0 and selection ≥ 1") }
        }
    }

    public var description: String {
        switch self {
        case .fedAvg: return "fedavg"
        case let .fedAvgM(lr, m): return "fedavgm:\(m):\(lr)"
        case let .fedAdagrad(eta, _): return "fedadagrad:\(eta)"
        case let .fedAdam(eta, _, _, _): return "fedadam:\(eta)"
        case let .fedYogi(eta, _, _, _): return "fedyogi:\(eta)"
        case .median: return "median"
        case let .trimmedMean(beta): return "trimmed:\(beta)"
        case let .krum(f, m): return "krum:\(f):\(m)"
        }
    }

    /// A fresh aggregator for models of `parameterCount` parameters.
    public func make(parameterCount: Int) -> ModelAggregator {
        switch self {
        case .fedAvg: return MeanAggregator(parameterCount: parameterCount, step: nil)
        case let .fedAvgM(lr, m): return MeanAggregator(parameterCount: parameterCount, step: ServerMomentum(learningRate: lr, momentum: m))
        case let .fedAdagrad(eta, tau): return MeanAggregator(parameterCount: parameterCount, step: AdaptiveServerStep(rule: .adagrad, eta: eta, beta1: 0, beta2: 0, tau: tau))
        case let .fedAdam(eta, b1, b2, tau): return MeanAggregator(parameterCount: parameterCount, step: AdaptiveServerStep(rule: .adam, eta: eta, beta1: b1, beta2: b2, tau: tau))
        case let .fedYogi(eta, b1, b2, tau): return MeanAggregator(parameterCount: parameterCount, step: AdaptiveServerStep(rule: .yogi, eta: eta, beta1: b1, beta2: b2, tau: tau))
        case .median: return RobustAggregator(rule: .median)
        case let .trimmedMean(beta): return RobustAggregator(rule: .trimmedMean(beta))
        case let .krum(f, m): return RobustAggregator(rule: .krum(byzantine: f, select: m))
        }
    }
}

import Foundation
