import Foundation

/// How the learning rate changes over a training run, evaluated once per epoch.
public enum LearningRateSchedule: String, Sendable, Equatable, CaseIterable, Codable {
    /// The base rate throughout.
    case constant
    /// Cosine decay from the base rate towards zero: `lr · ½(1 + cos(π·e/E))` in epoch `e` of `E`.
    case cosine
    /// Divide by 10 after half and after three quarters of the epochs.
    case step

    /// The learning rate for epoch `epoch` (0-based) of `epochs`.
    public func rate(base: Float, epoch: Int, epochs: Int) -> Float {
        guard epochs > 1 else { return base }
        switch self {
        case .constant:
            return base
        case .cosine:
            return Float(Double(base) * 0.5 * (1 + cos(Double.pi * Double(epoch) / Double(epochs))))
        case .step:
            let f = Double(epoch) / Double(epochs)
            return base * (f >= 0.75 ? 0.01 : f >= 0.5 ? 0.1 : 1)
        }
    }
}
