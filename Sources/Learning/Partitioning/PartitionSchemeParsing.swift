/// The textual form of partition schemes, as written on the command line and in Lua scripts.
///
/// Accepted forms (case-insensitive, spaces around the whole string ignored):
/// - `iid`, `stratified`
/// - `labels:K`, `labels:K:MODE` with MODE one of `deterministic`, `first`, `random`, `adjacent`
/// - `shards`, `shards:P`, `shards:P:SIZE`
/// - `dirichlet:ALPHA`, `dirichlet:ALPHA:MIN_SIZE`, `dirichlet:ALPHA:MIN_SIZE:unbalanced`
/// - `counts:C:N,C:N,…;C:N,…` (one group of class counts per client, separated by `;`)
/// - `quantity:linear`, `quantity:square`, `quantity:exponential`, `quantity:sizes:N,N,…`,
///   `quantity:dirichlet:BETA`
/// - the anchor's aliases `flat_fair` (`labels:1`), `flat_skewed` (`stratified`) and
///   `_flat_fair_2_classes` (`labels:2:adjacent`, the fixed pairs {0,1}, {2,3}, …)
extension PartitionScheme: CustomStringConvertible {
    /// A one-line list of the accepted forms, for error messages and help texts.
    public static let acceptedForms =
        "iid, stratified, labels:K[:deterministic|first|random|adjacent], shards[:P[:SIZE]], "
        + "dirichlet:ALPHA[:MIN_SIZE[:unbalanced]], counts:C:N,…[;C:N,…] (one group per client), "
        + "quantity:linear|square|exponential|sizes:N,…|dirichlet:BETA, "
        + "and the aliases flat_fair, flat_skewed, _flat_fair_2_classes"

    /// Parses a scheme string such as `iid`, `labels:2:random`, `dirichlet:0.5` or
    /// `quantity:dirichlet:0.5`.
    ///
    /// - Throws: ``LearningError/invalidPartition(_:)`` naming the problem; an unknown scheme's
    ///   message lists the accepted forms.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingPartitionSpaces()
        let lowered = trimmed.lowercased()
        let parts = lowered.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let head = String(parts[0]).trimmingPartitionSpaces()
        let rest = parts.count > 1 ? String(parts[1]) : nil
        let fields = rest.map { $0.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingPartitionSpaces() } } ?? []

        func noArguments() throws {
            if rest != nil { throw LearningError.invalidPartition("'\(head)' takes no arguments, got '\(trimmed)'") }
        }
        func arity(_ range: ClosedRange<Int>, _ usage: String) throws {
            guard range.contains(fields.count) else {
                throw LearningError.invalidPartition("'\(trimmed)' is malformed; expected \(usage)")
            }
        }

        switch head {
        case "iid":
            try noArguments(); self = .iid
        case "stratified", "stratified_iid", "stratified-iid", "stratifiediid", "flat_skewed":
            try noArguments(); self = .stratifiedIID
        case "flat_fair":
            try noArguments(); self = .labelsPerClient(k: 1, mode: .deterministic)
        case "_flat_fair_2_classes":
            try noArguments(); self = .labelsPerClient(k: 2, mode: .adjacent)
        case "labels":
            try arity(1...2, "labels:K or labels:K:MODE")
            let k = try Self.positiveInt(fields[0], "the number of labels per client")
            var mode = LabelAssignment.deterministic
            if fields.count == 2 {
                guard let m = LabelAssignment(name: fields[1]) else {
                    throw LearningError.invalidPartition(
                        "unknown label assignment '\(fields[1])'; accepted: deterministic, first, random, adjacent")
                }
                mode = m
            }
            self = .labelsPerClient(k: k, mode: mode)
        case "shards":
            if rest == nil { self = .shards(); return }
            try arity(1...2, "shards:P or shards:P:SIZE")
            let perClient = try Self.positiveInt(fields[0], "the number of shards per client")
            let size = fields.count == 2 ? try Self.positiveInt(fields[1], "the shard size") : nil
            self = .shards(perClient: perClient, shardSize: size)
        case "dirichlet":
            try arity(1...3, "dirichlet:ALPHA, dirichlet:ALPHA:MIN_SIZE or dirichlet:ALPHA:MIN_SIZE:unbalanced")
            let alpha = try Self.positiveDouble(fields[0], "the Dirichlet concentration α")
            var minSize = 10
            if fields.count >= 2 {
                guard let v = Int(fields[1]), v >= 0 else {
                    throw LearningError.invalidPartition("the minimum partition size '\(fields[1])' is not a non-negative integer")
                }
                minSize = v
            }
            var balanced = true
            if fields.count == 3 {
                switch fields[2] {
                case "unbalanced": balanced = false
                case "balanced": balanced = true
                default:
                    throw LearningError.invalidPartition("'\(fields[2])' is neither 'balanced' nor 'unbalanced'")
                }
            }
            self = .dirichlet(alpha: alpha, minPartitionSize: minSize, selfBalancing: balanced)
        case "counts":
            guard let body = rest else {
                throw LearningError.invalidPartition("'counts' needs class counts, e.g. counts:0:100,1:200;2:300")
            }
            let groups = body.split(separator: ";", omittingEmptySubsequences: false)
            self = .classCounts(try groups.map { try Self.parseClassCounts(String($0)) })
        case "quantity":
            try arity(1...2, "quantity:linear|square|exponential|sizes:N,…|dirichlet:BETA")
            switch fields[0] {
            case "linear": try arity(1...1, "quantity:linear"); self = .quantitySkew(.linear)
            case "square": try arity(1...1, "quantity:square"); self = .quantitySkew(.square)
            case "exponential": try arity(1...1, "quantity:exponential"); self = .quantitySkew(.exponential)
            case "sizes":
                try arity(2...2, "quantity:sizes:N,N,…")
                let sizes = try fields[1].split(separator: ",", omittingEmptySubsequences: false).map { item -> Int in
                    let s = String(item).trimmingPartitionSpaces()
                    guard let v = Int(s), v >= 0 else {
                        throw LearningError.invalidPartition("the client size '\(s)' is not a non-negative integer")
                    }
                    return v
                }
                self = .quantitySkew(.sizes(sizes))
            case "dirichlet":
                try arity(2...2, "quantity:dirichlet:BETA")
                self = .quantitySkew(.dirichlet(beta: try Self.positiveDouble(fields[1], "the quantity-skew concentration β")))
            default:
                throw LearningError.invalidPartition(
                    "unknown quantity profile '\(fields[0])'; accepted: linear, square, exponential, sizes:N,…, dirichlet:BETA")
            }
        default:
            throw LearningError.invalidPartition(
                "unknown partition scheme '\(trimmed)'; accepted: \(Self.acceptedForms)")
        }
    }

    /// The canonical string of the scheme, which ``init(parsing:)`` reads back to an equal scheme.
    public var description: String {
        switch self {
        case .iid: return "iid"
        case .stratifiedIID: return "stratified"
        case let .labelsPerClient(k, mode):
            return mode == .deterministic ? "labels:\(k)" : "labels:\(k):\(mode.name)"
        case let .shards(perClient, size):
            return size.map { "shards:\(perClient):\($0)" } ?? "shards:\(perClient)"
        case let .dirichlet(alpha, minSize, balanced):
            if !balanced { return "dirichlet:\(alpha):\(minSize):unbalanced" }
            return minSize == 10 ? "dirichlet:\(alpha)" : "dirichlet:\(alpha):\(minSize)"
        case let .classCounts(counts):
            return "counts:" + counts.map(Self.formatClassCounts).joined(separator: ";")
        case let .quantitySkew(profile):
            switch profile {
            case .linear: return "quantity:linear"
            case .square: return "quantity:square"
            case .exponential: return "quantity:exponential"
            case let .sizes(sizes): return "quantity:sizes:" + sizes.map(String.init).joined(separator: ",")
            case let .dirichlet(beta): return "quantity:dirichlet:\(beta)"
            }
        }
    }

    /// Parses one client's class counts in the `"class:samples,…"` format of AIoTwin's topology
    /// CSV, e.g. `"1:1000,5:10000,7:20000"`. Spaces around items, classes and counts are ignored;
    /// an empty string is an empty dictionary.
    ///
    /// - Throws: ``LearningError/invalidPartition(_:)`` naming the malformed item (not
    ///   `class:count`, a negative or non-integer class or count, or a class given twice).
    public static func parseClassCounts(_ text: String) throws -> [Int: Int] {
        let body = text.trimmingPartitionSpaces()
        if body.isEmpty { return [:] }
        var result: [Int: Int] = [:]
        for (position, rawItem) in body.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let item = String(rawItem).trimmingPartitionSpaces()
            let pair = item.split(separator: ":", omittingEmptySubsequences: false)
            guard pair.count == 2 else {
                throw LearningError.invalidPartition(
                    "class count item \(position + 1) '\(item)' is not of the form class:count")
            }
            let classText = String(pair[0]).trimmingPartitionSpaces()
            let countText = String(pair[1]).trimmingPartitionSpaces()
            guard let cls = Int(classText), cls >= 0 else {
                throw LearningError.invalidPartition(
                    "class count item '\(item)': class '\(classText)' is not a non-negative integer")
            }
            guard let count = Int(countText), count >= 0 else {
                throw LearningError.invalidPartition(
                    "class count item '\(item)': count '\(countText)' is not a non-negative integer")
            }
            guard result[cls] == nil else {
                throw LearningError.invalidPartition("class count item '\(item)': class \(cls) is given twice")
            }
            result[cls] = count
        }
        return result
    }

    /// Formats class counts as `"class:count,…"` in increasing class order (the inverse of
    /// ``parseClassCounts(_:)``).
    public static func formatClassCounts(_ counts: [Int: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
    }

    private static func positiveInt(_ text: String, _ what: String) throws -> Int {
        guard let v = Int(text), v > 0 else {
            throw LearningError.invalidPartition("\(what) '\(text)' is not a positive integer")
        }
        return v
    }

    private static func positiveDouble(_ text: String, _ what: String) throws -> Double {
        guard let v = Double(text), v > 0, v.isFinite else {
            throw LearningError.invalidPartition("\(what) '\(text)' is not a positive number")
        }
        return v
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks (no Foundation needed).
    fileprivate func trimmingPartitionSpaces() -> String {
        var s = Substring(self)
        while let first = s.first, first.isWhitespace { s.removeFirst() }
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }
}
