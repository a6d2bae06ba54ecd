import Testing
import Learning

// MARK: - Fixtures and helpers

/// `perClass` examples of each of `classCount` classes, in an order shuffled by a fixed seed
/// (the test's own input data, independent of the partitioners' streams).
private func balancedLabels(perClass: Int, classCount: Int = 10, seed: UInt64 = 991) -> [Int32] {
    var labels: [Int32] = []
    for c in 0..<classCount { labels += [Int32](repeating: Int32(c), count: perClass) }
    var rng = SeededGenerator(seed: seed)
    rng.shuffle(&labels)
    return labels
}

/// Class `c` has `(c + 1) · unit` examples, interleaved.
private func unbalancedLabels(unit: Int, classCount: Int = 10) -> [Int32] {
    var labels: [Int32] = []
    for c in 0..<classCount { labels += [Int32](repeating: Int32(c), count: (c + 1) * unit) }
    var rng = SeededGenerator(seed: 4242)
    rng.shuffle(&labels)
    return labels
}

/// The message of the `LearningError.invalidPartition` thrown by `body`, or nil when it does not
/// throw one.
private func partitionError(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let LearningError.invalidPartition(message) {
        return message
    } catch {
        return nil
    }
}

/// Every index is in range and appears at most once across all clients.
private func isDisjoint(_ p: Partition, sampleCount n: Int) -> Bool {
    var seen = [Bool](repeating: false, count: n)
    for client in p.clients {
        for index in client {
            guard index >= 0 && index < n && !seen[index] else { return false }
            seen[index] = true
        }
    }
    return true
}

/// Every index of `0..<n` appears exactly once.
private func covers(_ p: Partition, sampleCount n: Int) -> Bool {
    isDisjoint(p, sampleCount: n) && p.assignedCount == n
}

/// The distinct classes a client holds.
private func classes(of client: [Int], labels: [Int32]) -> Set<Int32> {
    Set(client.map { labels[$0] })
}

/// The indices of class `c` in file order.
private func classIndices(_ labels: [Int32], _ c: Int32) -> [Int] {
    labels.indices.filter { labels[$0] == c }
}

/// The mean over clients of the largest class share of the client.
private func meanDominantShare(_ histograms: [[Int]]) -> Double {
    let shares = histograms.compactMap { row -> Double? in
        let total = row.reduce(0, +)
        return total > 0 ? Double(row.max()!) / Double(total) : nil
    }
    return shares.reduce(0, +) / Double(shares.count)
}

private let allSchemes: [PartitionScheme] = [
    .iid,
    .stratifiedIID,
    .labelsPerClient(k: 2, mode: .deterministic),
    .labelsPerClient(k: 3, mode: .firstDeterministic),
    .labelsPerClient(k: 2, mode: .random),
    .labelsPerClient(k: 2, mode: .adjacent),
    .shards(),
    .shards(perClient: 3, shardSize: 30),
    .dirichlet(alpha: 0.5),
    .dirichlet(alpha: 0.3, minPartitionSize: 0, selfBalancing: false),
    .classCounts([[0: 10, 1: 5], [2: 7], [:], [9: 60], [0: 20, 9: 20], [3: 1], [4: 4], [5: 5], [6: 6], [7: 7]]),
    .quantitySkew(.linear),
    .quantitySkew(.square),
    .quantitySkew(.exponential),
    .quantitySkew(.sizes([100, 50, 150, 100, 100, 100, 100, 100, 100, 100])),
    .quantitySkew(.dirichlet(beta: 0.5)),
]

// MARK: - Every scheme

@Suite("Partitioners")
struct PartitionerTests {
    @Test("every scheme gives disjoint client sets; covering ones cover everything", arguments: allSchemes)
    func disjointAndCovering(scheme: PartitionScheme) throws {
        let labels = balancedLabels(perClass: 100)
        let p = try scheme.partition(labels: labels, classCount: 10, clients: 10, seed: 7)
        #expect(p.clientCount == 10)
        #expect(isDisjoint(p, sampleCount: labels.count))
        switch scheme {
        case .classCounts, .shards(_, .some):
            break  // leave examples out by design
        case .labelsPerClient(_, .random):
            break  // a class may end up unowned
        default:
            #expect(covers(p, sampleCount: labels.count), "\(scheme) must assign every example")
        }
        #expect(p.sizes == p.clients.map(\.count))
        let histograms = p.classHistograms(labels: labels, classCount: 10)
        #expect(histograms.map { $0.reduce(0, +) } == p.sizes)
    }

    @Test("same seed gives the same partition, a different seed a different one", arguments: allSchemes)
    func determinism(scheme: PartitionScheme) throws {
        let labels = balancedLabels(perClass: 100)
        let a = try scheme.partition(labels: labels, classCount: 10, clients: 10, seed: 11)
        let b = try scheme.partition(labels: labels, classCount: 10, clients: 10, seed: 11)
        let c = try scheme.partition(labels: labels, classCount: 10, clients: 10, seed: 12)
        #expect(a == b)
        #expect(a != c)
    }

    @Test("each client's indices are shuffled after assignment")
    func clientsAreShuffled() throws {
        let labels = balancedLabels(perClass: 100)
        for scheme in [PartitionScheme.stratifiedIID, .labelsPerClient(k: 2, mode: .deterministic), .shards()] {
            let p = try scheme.partition(labels: labels, classCount: 10, clients: 10, seed: 3)
            let sortedClients = p.clients.filter { $0 == $0.sorted() }.count
            #expect(sortedClients == 0, "\(scheme): client lists should not stay in assignment order")
        }
    }

    // MARK: IID

    @Test("IID: the first N mod M clients get ⌈N/M⌉ examples, the rest ⌊N/M⌋")
    func iidSizes() throws {
        for (n, m) in [(1003, 10), (1000, 10), (17, 17), (50, 7)] {
            let labels = balancedLabels(perClass: n / 10 + 1).prefix(n).map { $0 }
            let p = try PartitionScheme.iid.partition(labels: labels, classCount: 10, clients: m, seed: 5)
            let expected = (0..<m).map { $0 < n % m ? (n + m - 1) / m : n / m }
            #expect(p.sizes == expected)
            #expect(covers(p, sampleCount: n))
            #expect(p.warnings.isEmpty)
        }
    }

    @Test("IID: the label mix of each client is close to the global one")
    func iidMix() throws {
        let labels = balancedLabels(perClass: 1000)
        let p = try PartitionScheme.iid.partition(labels: labels, classCount: 10, clients: 5, seed: 9)
        for row in p.classHistograms(labels: labels, classCount: 10) {
            for count in row { #expect(count > 140 && count < 260) }  // expected 200 each
        }
    }

    @Test("stratified IID: client i gets the positions j ≡ i (mod M) of every class list")
    func stratified() throws {
        let labels = unbalancedLabels(unit: 7)
        let m = 6
        let p = try PartitionScheme.stratifiedIID.partition(labels: labels, classCount: 10, clients: m, seed: 1)
        #expect(covers(p, sampleCount: labels.count))
        for c in 0..<10 {
            let list = classIndices(labels, Int32(c))
            for i in 0..<m {
                let expected = Set(list.enumerated().filter { $0.offset % m == i }.map(\.element))
                #expect(Set(p.clients[i].filter { labels[$0] == Int32(c) }) == expected)
            }
        }
        for column in 0..<10 {
            let counts = p.classHistograms(labels: labels, classCount: 10).map { $0[column] }
            #expect(counts.max()! - counts.min()! <= 1)
        }
    }

    // MARK: k labels per client

    @Test("k labels: every client holds exactly k distinct classes", arguments: LabelAssignment.allCases)
    func exactlyKClasses(mode: LabelAssignment) throws {
        let labels = balancedLabels(perClass: 60)
        for k in [1, 2, 3, 10] {
            let p = try PartitionScheme.labelsPerClient(k: k, mode: mode)
                .partition(labels: labels, classCount: 10, clients: 20, seed: 21)
            #expect(isDisjoint(p, sampleCount: labels.count))
            for client in p.clients { #expect(classes(of: client, labels: labels).count == k) }
        }
    }

    @Test("k labels: deterministic, first-deterministic and adjacent class choices")
    func labelChoices() throws {
        let labels = balancedLabels(perClass: 60)
        let c = 10, m = 20
        let det = try PartitionScheme.labelsPerClient(k: 3, mode: .deterministic)
            .partition(labels: labels, classCount: c, clients: m, seed: 2)
        let first = try PartitionScheme.labelsPerClient(k: 3, mode: .firstDeterministic)
            .partition(labels: labels, classCount: c, clients: m, seed: 2)
        let adjacent = try PartitionScheme.labelsPerClient(k: 2, mode: .adjacent)
            .partition(labels: labels, classCount: c, clients: m, seed: 2)
        for i in 0..<m {
            #expect(classes(of: det.clients[i], labels: labels) == Set((0..<3).map { Int32((i + $0) % c) }))
            #expect(classes(of: first.clients[i], labels: labels).contains(Int32(i % c)))
            #expect(classes(of: adjacent.clients[i], labels: labels) == [Int32(2 * i % c), Int32((2 * i + 1) % c)])
        }
    }

    @Test("k labels: each class list is cut into equal contiguous parts in client order")
    func labelArraySplit() throws {
        let labels = unbalancedLabels(unit: 13)  // class sizes 13, 26, …, 130
        let m = 7
        let p = try PartitionScheme.labelsPerClient(k: 3, mode: .random)
            .partition(labels: labels, classCount: 10, clients: m, seed: 8)
        for c in 0..<10 {
            let list = classIndices(labels, Int32(c))
            let owners = (0..<m).filter { classes(of: p.clients[$0], labels: labels).contains(Int32(c)) }
            guard !owners.isEmpty else { continue }
            // Owners in client order hold consecutive runs of I_c whose sizes differ by at most one,
            // larger first.
            var position = 0
            var sizes: [Int] = []
            for owner in owners {
                let mine = Set(p.clients[owner].filter { labels[$0] == Int32(c) })
                let run = Set(list[position..<(position + mine.count)])
                #expect(mine == run)
                position += mine.count
                sizes.append(mine.count)
            }
            #expect(position == list.count)
            #expect(sizes == sizes.sorted(by: >))
            #expect(sizes.max()! - sizes.min()! <= 1)
        }
    }

    @Test("k labels: classes nobody owns are dropped with a warning")
    func unownedClassesDropped() throws {
        let labels = balancedLabels(perClass: 30)
        let p = try PartitionScheme.labelsPerClient(k: 1, mode: .deterministic)
            .partition(labels: labels, classCount: 10, clients: 4, seed: 1)
        #expect(p.assignedCount == 4 * 30)
        #expect(p.warnings.contains { $0.contains("dropped") && $0.contains("4, 5, 6, 7, 8, 9") })
    }

    // MARK: Shards

    @Test("shards: each client gets perClient shards of N/S examples from the label-sorted order")
    func shardSizes() throws {
        // McMahan's layout scaled down: 10 classes × 60, 10 clients × 2 shards of 30.
        let labels = balancedLabels(perClass: 60)
        let p = try PartitionScheme.shards(perClient: 2).partition(labels: labels, classCount: 10, clients: 10, seed: 4)
        #expect(p.sizes == [Int](repeating: 60, count: 10))
        #expect(covers(p, sampleCount: labels.count))
        // Shards of 30 never straddle two classes of 60, so a client holds at most two classes.
        for client in p.clients { #expect(classes(of: client, labels: labels).count <= 2) }
        // Each shard is a run of the stable label sort: per class, owned positions come in blocks of 30.
        for client in p.clients {
            for c in classes(of: client, labels: labels) {
                let list = classIndices(labels, c)
                let positions = client.filter { labels[$0] == c }.map { list.firstIndex(of: $0)! }.sorted()
                #expect(positions.count % 30 == 0)
                for block in stride(from: 0, to: positions.count, by: 30) {
                    #expect(positions[block] % 30 == 0)
                    #expect(positions[block + 29] == positions[block] + 29)
                }
            }
        }
    }

    @Test("shards: explicit shard size leaves the remainder out with a warning")
    func shardExplicitSize() throws {
        let labels = balancedLabels(perClass: 50)
        let p = try PartitionScheme.shards(perClient: 3, shardSize: 16).partition(labels: labels, classCount: 10, clients: 10, seed: 4)
        #expect(p.sizes == [Int](repeating: 48, count: 10))
        #expect(isDisjoint(p, sampleCount: labels.count))
        #expect(p.warnings.contains { $0.contains("20 examples") })
    }

    @Test("shards: sizes that do not divide are an error")
    func shardErrors() {
        let labels = balancedLabels(perClass: 50)  // 500 examples
        let notDividing = partitionError {
            _ = try PartitionScheme.shards(perClient: 2).partition(labels: labels, classCount: 10, clients: 7, seed: 1)
        }
        #expect(notDividing?.contains("do not divide") == true)
        #expect(partitionError {
            _ = try PartitionScheme.shards(perClient: 2, shardSize: 30).partition(labels: labels, classCount: 10, clients: 10, seed: 1)
        } != nil)
        #expect(partitionError {
            _ = try PartitionScheme.shards(perClient: 0).partition(labels: labels, classCount: 10, clients: 10, seed: 1)
        } != nil)
    }

    // MARK: Dirichlet

    @Test("Dirichlet: small α gives skewed clients, large α near-uniform ones")
    func dirichletConcentration() throws {
        let labels = balancedLabels(perClass: 500)
        let skewed = try PartitionScheme.dirichlet(alpha: 0.1).partition(labels: labels, classCount: 10, clients: 10, seed: 31)
        let uniform = try PartitionScheme.dirichlet(alpha: 1000).partition(labels: labels, classCount: 10, clients: 10, seed: 31)
        #expect(covers(skewed, sampleCount: labels.count))
        #expect(covers(uniform, sampleCount: labels.count))
        let skewedShare = meanDominantShare(skewed.classHistograms(labels: labels, classCount: 10))
        let uniformShare = meanDominantShare(uniform.classHistograms(labels: labels, classCount: 10))
        #expect(skewedShare > 0.4)   // a uniform mix would give about 0.1
        #expect(uniformShare < 0.15)
        // Large α: every client near N/M in size and near N/(M·C) per class.
        for row in uniform.classHistograms(labels: labels, classCount: 10) {
            for count in row { #expect(count > 25 && count < 75) }  // expected 50
        }
    }

    @Test("Dirichlet: every client reaches the minimum partition size")
    func dirichletMinimumSize() throws {
        let labels = balancedLabels(perClass: 200)
        for seed in UInt64(0)..<5 {
            let p = try PartitionScheme.dirichlet(alpha: 0.5, minPartitionSize: 40)
                .partition(labels: labels, classCount: 10, clients: 10, seed: seed)
            #expect(p.sizes.min()! >= 40)
        }
    }

    @Test("Dirichlet: impossible minimum sizes and bad α are errors")
    func dirichletErrors() {
        let labels = balancedLabels(perClass: 100)
        #expect(partitionError {
            _ = try PartitionScheme.dirichlet(alpha: 0).partition(labels: labels, classCount: 10, clients: 10, seed: 1)
        }?.contains("α") == true)
        #expect(partitionError {
            _ = try PartitionScheme.dirichlet(alpha: .nan).partition(labels: labels, classCount: 10, clients: 10, seed: 1)
        } != nil)
        #expect(partitionError {
            _ = try PartitionScheme.dirichlet(alpha: 0.5, minPartitionSize: 101).partition(labels: labels, classCount: 10, clients: 10, seed: 1)
        } != nil)
        // Near-single-class clients cannot all reach 95 of 1000 examples; the retries give up.
        let retries = partitionError {
            _ = try PartitionScheme.dirichlet(alpha: 0.01, minPartitionSize: 95).partition(labels: labels, classCount: 10, clients: 10, seed: 1)
        }
        #expect(retries?.contains("retries") == true)
    }

    // MARK: Explicit counts

    @Test("explicit counts: each client gets exactly the requested class counts")
    func explicitCounts() throws {
        let labels = unbalancedLabels(unit: 20)  // class c has 20(c + 1)
        let counts: [[Int: Int]] = [[0: 20], [1: 15, 9: 100], [1: 25, 9: 100, 5: 3], [:]]
        let p = try PartitionScheme.classCounts(counts).partition(labels: labels, classCount: 10, clients: 4, seed: 6)
        #expect(isDisjoint(p, sampleCount: labels.count))
        let histograms = p.classHistograms(labels: labels, classCount: 10)
        for i in 0..<4 {
            let expected = (0..<10).map { counts[i][$0] ?? 0 }
            #expect(histograms[i] == expected)
        }
        #expect(p.warnings.contains { $0.contains("no examples") })  // client 3
    }

    @Test("explicit counts: asking for more than a class has names the client and the class")
    func explicitCountsOverAsk() {
        let labels = unbalancedLabels(unit: 20)  // class 1 has 40
        let message = partitionError {
            _ = try PartitionScheme.classCounts([[1: 30], [2: 5], [1: 11]])
                .partition(labels: labels, classCount: 10, clients: 3, seed: 6)
        }
        #expect(message?.contains("client 3 ") == true)  // clients are numbered from 1
        #expect(message?.contains("class 1") == true)
        #expect(partitionError {
            _ = try PartitionScheme.classCounts([[1: 30]]).partition(labels: labels, classCount: 10, clients: 2, seed: 6)
        } != nil)
        #expect(partitionError {
            _ = try PartitionScheme.classCounts([[12: 3]]).partition(labels: labels, classCount: 10, clients: 1, seed: 6)
        }?.contains("class 12") == true)
    }

    // MARK: Quantity skew

    @Test("quantity skew: sizes grow with the client id and sum to N",
          arguments: [QuantityProfile.linear, .square, .exponential])
    func quantityOrdering(profile: QuantityProfile) throws {
        let labels = balancedLabels(perClass: 100)
        let p = try PartitionScheme.quantitySkew(profile).partition(labels: labels, classCount: 10, clients: 6, seed: 2)
        #expect(covers(p, sampleCount: labels.count))
        #expect(p.sizes == p.sizes.sorted())
        #expect(p.sizes.last! > 2 * p.sizes.first!)
    }

    @Test("quantity skew: linear sizes are proportional to the client id")
    func quantityLinear() throws {
        let labels = balancedLabels(perClass: 210)  // 2100 = 100 · (1 + … + 6)
        let p = try PartitionScheme.quantitySkew(.linear).partition(labels: labels, classCount: 10, clients: 6, seed: 2)
        for (i, size) in p.sizes.enumerated() { #expect(abs(size - 100 * (i + 1)) <= 1) }
    }

    @Test("quantity skew: explicit sizes are exact, too large sizes are an error")
    func quantitySizes() throws {
        let labels = balancedLabels(perClass: 100)
        let p = try PartitionScheme.quantitySkew(.sizes([10, 300, 0, 90])).partition(labels: labels, classCount: 10, clients: 4, seed: 2)
        #expect(p.sizes == [10, 300, 0, 90])
        #expect(isDisjoint(p, sampleCount: labels.count))
        #expect(p.warnings.contains { $0.contains("600") })  // left unassigned
        #expect(partitionError {
            _ = try PartitionScheme.quantitySkew(.sizes([600, 401])).partition(labels: labels, classCount: 10, clients: 2, seed: 2)
        } != nil)
        #expect(partitionError {
            _ = try PartitionScheme.quantitySkew(.sizes([5, 5, 5])).partition(labels: labels, classCount: 10, clients: 2, seed: 2)
        } != nil)
    }

    @Test("quantity skew: Dirichlet sizes are unequal but the label mix stays IID")
    func quantityDirichlet() throws {
        let labels = balancedLabels(perClass: 1000)
        let p = try PartitionScheme.quantitySkew(.dirichlet(beta: 0.5)).partition(labels: labels, classCount: 10, clients: 5, seed: 13)
        #expect(covers(p, sampleCount: labels.count))
        #expect(p.sizes.min()! >= 10)
        #expect(p.sizes.max()! > p.sizes.min()! + 200)
        let histograms = p.classHistograms(labels: labels, classCount: 10)
        let largest = p.sizes.firstIndex(of: p.sizes.max()!)!
        for count in histograms[largest] {
            let share = Double(count) / Double(p.sizes[largest])
            #expect(share > 0.06 && share < 0.14)
        }
        // A hopeless β (almost all mass on one client) gives up with an error rather than looping.
        let hopeless = partitionError {
            _ = try PartitionScheme.quantitySkew(.dirichlet(beta: 0.001)).partition(labels: labels, classCount: 10, clients: 10, seed: 13)
        }
        #expect(hopeless?.contains("retries") == true)
    }

    // MARK: Input validation

    @Test("bad requests are errors, never crashes")
    func invalidInput() {
        let labels = balancedLabels(perClass: 3)  // 30 examples
        let cases: [(PartitionScheme, [Int32], Int, Int, String)] = [
            (.iid, labels, 10, 0, "clients"),
            (.iid, labels, 10, -3, "clients"),
            (.iid, labels, 10, 31, "31 clients"),
            (.iid, [], 10, 1, "no examples"),
            (.iid, labels, 0, 2, "class count"),
            (.stratifiedIID, labels + [10], 10, 2, "label 10"),
            (.stratifiedIID, [-1] + labels, 10, 2, "label -1"),
            (.labelsPerClient(k: 11, mode: .random), labels, 10, 2, "11"),
            (.labelsPerClient(k: 0, mode: .deterministic), labels, 10, 2, "labels per client"),
            (.quantitySkew(.dirichlet(beta: -1)), labels, 10, 2, "β"),
        ]
        for (scheme, input, classCount, clients, fragment) in cases {
            let message = partitionError {
                _ = try scheme.partition(labels: input, classCount: classCount, clients: clients, seed: 1)
            }
            #expect(message?.contains(fragment) == true, "\(scheme), \(clients) clients: \(message ?? "no error")")
            #expect(message?.contains("\n") == false)
        }
    }

    // MARK: Parsing

    @Test("scheme strings parse to the intended schemes")
    func parsing() throws {
        let expectations: [(String, PartitionScheme)] = [
            ("iid", .iid),
            ("  IID ", .iid),
            ("stratified", .stratifiedIID),
            ("labels:2", .labelsPerClient(k: 2, mode: .deterministic)),
            ("labels:2:random", .labelsPerClient(k: 2, mode: .random)),
            ("labels:3:first", .labelsPerClient(k: 3, mode: .firstDeterministic)),
            ("labels:3:first-deterministic", .labelsPerClient(k: 3, mode: .firstDeterministic)),
            ("shards", .shards(perClient: 2, shardSize: nil)),
            ("shards:2", .shards(perClient: 2, shardSize: nil)),
            ("shards:2:300", .shards(perClient: 2, shardSize: 300)),
            ("dirichlet:0.5", .dirichlet(alpha: 0.5, minPartitionSize: 10, selfBalancing: true)),
            ("dirichlet:0.5:0:unbalanced", .dirichlet(alpha: 0.5, minPartitionSize: 0, selfBalancing: false)),
            ("quantity:linear", .quantitySkew(.linear)),
            ("quantity:exponential", .quantitySkew(.exponential)),
            ("quantity:dirichlet:0.5", .quantitySkew(.dirichlet(beta: 0.5))),
            ("quantity:sizes:10, 20,30", .quantitySkew(.sizes([10, 20, 30]))),
            ("counts:1:1000,5:10000;7:20000", .classCounts([[1: 1000, 5: 10000], [7: 20000]])),
            ("flat_fair", .labelsPerClient(k: 1, mode: .deterministic)),
            ("flat_skewed", .stratifiedIID),
            ("_flat_fair_2_classes", .labelsPerClient(k: 2, mode: .adjacent)),
        ]
        for (text, scheme) in expectations {
            #expect(try PartitionScheme(parsing: text) == scheme, "\(text)")
        }
    }

    @Test("descriptions read back to the same scheme", arguments: allSchemes + [
        .dirichlet(alpha: 1e-3, minPartitionSize: 5),
        .dirichlet(alpha: 0.25, minPartitionSize: 10, selfBalancing: false),
        .labelsPerClient(k: 4, mode: .firstDeterministic),
    ])
    func roundTrip(scheme: PartitionScheme) throws {
        #expect(try PartitionScheme(parsing: scheme.description) == scheme)
    }

    @Test("malformed scheme strings are errors; unknown ones list the accepted forms")
    func parsingErrors() {
        let unknown = partitionError { _ = try PartitionScheme(parsing: "fancy") }
        #expect(unknown?.contains("fancy") == true)
        #expect(unknown?.contains("dirichlet:ALPHA") == true)
        #expect(unknown?.contains("flat_fair") == true)
        for bad in ["labels", "labels:0", "labels:x", "labels:2:sometimes", "labels:2:random:9", "shards:0",
                    "shards:2:-5", "dirichlet", "dirichlet:-1", "dirichlet:inf", "dirichlet:0.5:x",
                    "dirichlet:0.5:10:lopsided", "quantity", "quantity:cubic", "quantity:dirichlet",
                    "quantity:sizes:1,a", "counts", "counts:1:x", "iid:3", ""] {
            #expect(partitionError { _ = try PartitionScheme(parsing: bad) } != nil, "'\(bad)' should not parse")
        }
    }

    @Test("class counts parse, ignore spaces and round-trip")
    func classCountParsing() throws {
        #expect(try PartitionScheme.parseClassCounts("1:1000,5:10000,7:20000") == [1: 1000, 5: 10000, 7: 20000])
        #expect(try PartitionScheme.parseClassCounts(" 1 : 1000 , 5:10000 ") == [1: 1000, 5: 10000])
        #expect(try PartitionScheme.parseClassCounts("") == [:])
        #expect(try PartitionScheme.parseClassCounts("   ") == [:])
        let counts = [3: 7, 0: 0, 9: 123456]
        #expect(try PartitionScheme.parseClassCounts(PartitionScheme.formatClassCounts(counts)) == counts)
    }

    @Test("malformed class counts name the bad item")
    func classCountErrors() {
        let cases = [("1:10,5:abc", "5:abc"), ("1:10,5", "'5'"), ("x:3", "x:3"), ("1:10,1:20", "1:20"),
                     ("1:10,,2:3", "item 2"), ("-1:5", "-1:5"), ("2:-5", "2:-5"), ("1:2:3", "1:2:3")]
        for (text, fragment) in cases {
            let message = partitionError { _ = try PartitionScheme.parseClassCounts(text) }
            #expect(message?.contains(fragment) == true, "\(text): \(message ?? "no error")")
        }
    }
}
