import Foundation
import Learning

/// Measurements behind `aiotwin bench fl`: aggregation speed, federation overhead against
/// centralised training, and round time and memory for many clients.
public enum FederationBenchmark {
    /// Aggregating `updates` models of `parameters` parameters: milliseconds and GB/s of updates
    /// read, for the in-memory blocked mean and for the streaming aggregator (FedAvg's path).
    public static func aggregation(updates: Int = 10, parameters: Int = 1_000_000, threads: Int = 2,
                                   repetitions: Int = 5) -> [(name: String, milliseconds: Double, gigabytesPerSecond: Double)] {
        var rng = SeededGenerator(seed: 1)
        let models = (0..<updates).map { _ in (0..<parameters).map { _ in rng.uniform(-1, 1) } }
        let weights = (0..<updates).map { Double($0 + 1) }
        let bytes = Double(updates * parameters * 4)
        func best(_ body: () -> Void) -> Double {
            var t = Double.infinity
            for _ in 0..<repetitions {
                let s = DispatchTime.now().uptimeNanoseconds
                body()
                t = min(t, Double(DispatchTime.now().uptimeNanoseconds - s) * 1e-6)
            }
            return t
        }
        var rows: [(String, Double, Double)] = []
        for t in Set([1, threads]).sorted() {
            let ms = best {
                let pointers = models.map { m in m.withUnsafeBufferPointer { $0 } }  // arrays outlive the call
                _ = WeightedMean.mean(of: pointers, weights: weights, threads: t)
            }
            rows.append(("weighted mean, all updates in memory, \(t) thread\(t == 1 ? "" : "s")", ms, bytes / ms / 1e6))
        }
        let aggregator = AggregationConfig.fedAvg.make(parameterCount: parameters)
        let ms = best {
            aggregator.begin(current: models[0])
            for (m, w) in zip(models, weights) { m.withUnsafeBufferPointer { aggregator.add($0, weight: w) } }
            _ = aggregator.finish()
        }
        rows.append(("FedAvg streaming (float64 accumulator), 1 thread", ms, bytes / ms / 1e6))
        return rows
    }

    /// Peak resident memory of this process so far, in MiB (from /proc/self/status).
    public static func peakResidentMiB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
        return kb / 1024
    }
}
