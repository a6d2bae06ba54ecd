import Testing
@testable import Federation

@Suite("Topology")
struct TopologyTests {
    @Test("natural id order: digit runs compare as numbers")
    func naturalOrder() {
        let ids = ["n10", "n2", "n1", "la10", "la9", "n02", "b", "a"]
        #expect(ids.sorted(by: NaturalOrder.less) == ["a", "b", "la9", "la10", "n1", "n2", "n02", "n10"])
    }
}
