import Foundation

/// Tick values and their labels.
struct Ticks: Equatable {
    var values: [Double]
    var labels: [String]
}

/// "Nice" ticks: steps of 1, 2 or 5 × 10^k on linear axes, powers of ten (and 2 and 5 times them
/// when few decades are shown) on log axes.
enum NiceTicks {
    /// Ticks for `lower...upper` (finite, `lower < upper`) with about `target` intervals.
    /// `covering` extends the ends to ticks that enclose the range; otherwise only ticks inside are kept.
    static func linear(_ lower: Double, _ upper: Double, target: Int, covering: Bool) -> Ticks {
        let step = DecimalStep.nice(atLeast: (upper - lower) / Double(max(1, target)))
        let s = step.value
        guard let first = index(lower / s, rounding: covering ? .down : .up),
              let last = index(upper / s, rounding: covering ? .up : .down) else {
            return Ticks(values: [lower, upper], labels: ["\(lower)", "\(upper)"])
        }
        var lo = first, hi = last
        // Division rounding can be one step off: check the exact tick values against the range.
        if covering {
            while step.multiple(lo) > lower { lo -= 1 }
            while step.multiple(hi) < upper { hi += 1 }
        } else {
            while step.multiple(lo) < lower { lo += 1 }
            while step.multiple(hi) > upper { hi -= 1 }
        }
        guard lo <= hi else { return Ticks(values: [], labels: []) }
        let largest = max(abs(step.multiple(lo)), abs(step.multiple(hi)))
        let scientific = largest >= 1e6 || (largest > 0 && largest < 1e-3)
        return Ticks(values: (lo...hi).map(step.multiple),
                     labels: (lo...hi).map { step.label(ofMultiple: $0, scientific: scientific) })
    }

    /// Ticks for `lower...upper` (both positive and finite, `lower < upper`) on a log axis, with
    /// about `target` ticks: 1, 2 and 5 times powers of ten when few decades are shown, otherwise
    /// powers of ten (every one, or every 2nd, 5th, 10th … when there are many). `covering`
    /// extends the ends to the nearest such values that enclose the range.
    static func log(_ lower: Double, _ upper: Double, target: Int, covering: Bool) -> Ticks {
        let a = log10(lower), b = log10(upper)
        guard let eLo = index(a, rounding: .down), let eHi = index(b, rounding: .up) else {
            return linear(lower, upper, target: target, covering: covering)
        }
        let target = max(2, target)
        let mantissas = (b - a) * 3 <= Double(target + 1) ? [1, 2, 5] : [1]
        let exponentStep = mantissas.count == 3 ? 1
            : max(1, Int(DecimalStep.nice(atLeast: max(1, b - a) / Double(target)).value.rounded()))
        let first = Int(floor(Double(eLo) / Double(exponentStep))) * exponentStep - exponentStep
        var candidates: [(value: Double, label: String)] = []
        for e in Swift.stride(from: first, through: eHi + exponentStep, by: exponentStep) {
            for m in mantissas {
                candidates.append((DecimalStep.scaled(Double(m), e),
                                   e >= -3 && e < 6 ? DecimalStep.fixed(m, e) : DecimalStep.scientific(m, e)))
            }
        }
        let kept: ArraySlice<(value: Double, label: String)>
        if covering {
            let i = candidates.lastIndex { $0.value <= lower } ?? 0
            let j = max(i + 1, candidates.firstIndex { $0.value >= upper } ?? candidates.count - 1)
            kept = candidates[i...min(j, candidates.count - 1)]
        } else {
            kept = candidates.filter { $0.value >= lower && $0.value <= upper }[...]
        }
        return Ticks(values: kept.map(\.value), labels: kept.map(\.label))
    }

    private enum Rounding { case up, down }

    /// `x` rounded to an integer, with a little tolerance for division error; `nil` when too large.
    private static func index(_ x: Double, rounding: Rounding) -> Int? {
        let r = rounding == .down ? floor(x + 1e-9) : ceil(x - 1e-9)
        return r.isFinite && abs(r) < 1e15 ? Int(r) : nil
    }
}
