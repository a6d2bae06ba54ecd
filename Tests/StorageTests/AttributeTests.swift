import Storage
import Testing

@Suite("HDF5 attributes")
struct AttributeTests {
    @Test("every attribute type round-trips, including Unicode and empty arrays")
    func roundTrip() throws {
        let path = try Scratch.file()
        let values: [String: AttributeValue] = [
            "text": "héllo wörld ✓", "empty_text": "", "texts": .strings(["a", "β", ""]), "no_texts": .strings([]),
            "pi": .double(3.141592653589793), "tiny": .double(-Double.leastNonzeroMagnitude), "doubles": .doubles([1.5, -0.0, .infinity]),
            "no_doubles": .doubles([]), "count": .int64(Int64.min), "ids": .int64s([1, Int64.max, -7]),
            "one_id": .int64s([9]),
        ]
        let file = try H5File.create(path: path)
        let group = try file.rootGroup().requireGroup("a/b")
        for (name, value) in values { try group.setAttribute(name, value) }
        group.close()
        try file.close()

        let reopened = try H5File.open(path: path)
        let read = try reopened.rootGroup().group("a/b")
        #expect(try read.attributes() == values)
        #expect(try read.attributeNames() == values.keys.sorted())
        #expect(try read.attribute("pi").doubleValue == 3.141592653589793)
        #expect(try read.attribute("count").int64Value == Int64.min)
    }

    @Test("setting an attribute again replaces it, even with another type")
    func replace() throws {
        let file = try H5File.create(path: try Scratch.file())
        let root = try file.rootGroup()
        try root.setAttribute("status", "running")
        try root.setAttribute("status", "completed")
        #expect(try root.attribute("status") == "completed")
        try root.setAttribute("status", .int64s([1, 2]))
        #expect(try root.attribute("status") == .int64s([1, 2]))
        try root.deleteAttribute("status")
        #expect(try root.hasAttribute("status") == false)
    }

    @Test("a missing attribute is an HDF5Error naming the file, attribute and object")
    func missing() throws {
        let path = try Scratch.file()
        let file = try H5File.create(path: path)
        let error = try #require(throws: HDF5Error.self) { try file.rootGroup().attribute("nope") }
        #expect(error.path == path)
        #expect(error.description.hasPrefix("\(path): cannot read attribute 'nope' of /: "))
        #expect(!error.frames.isEmpty)
        #expect(error.description.contains("\n") == false)
    }
}
