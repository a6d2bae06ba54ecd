import Foundation
import Storage

/// A walk through any HDF5 file: groups, attributes, datasets and the first rows of tables.
/// Used by `aiotwin inspect`; works on foreign HDF5 files too.
public struct FileInspector {
    /// One node of the tree.
    public struct Node: Sendable {
        /// Absolute path inside the file (`/metrics/global`).
        public var path: String
        /// `group`, `dataset` or `table`.
        public var kind: String
        /// Attributes in creation order.
        public var attributes: [(name: String, value: AttributeValue)]
        /// Dataset shape and element type.
        public var shape: [Int]?, type: String?
        /// Table columns (name, type), row count and first rows (as text, column-major).
        public var columns: [(name: String, type: String)]?, rows: Int?, head: [[String]]?
        /// Children of a group.
        public var children: [Node]
    }

    /// Rows of each table shown.
    public var headRows = 5
    /// Attribute values longer than this are shortened in text output.
    public var maxValueLength = 100

    /// Creates an inspector.
    public init(headRows: Int = 5) { self.headRows = headRows }

    /// Reads the tree of the file at `path`.
    public func inspect(path: String) throws -> Node {
        let file = try H5File.open(path: path, mode: .readOnly)
        defer { try? file.close() }
        return try node(group: try file.rootGroup(), path: "/")
    }

    private func node(group: H5Group, path: String) throws -> Node {
        var children: [Node] = []
        for child in try group.children() {
            let childPath = path == "/" ? "/" + child.name : path + "/" + child.name
            switch child.kind {
            case .group:
                let g = try group.group(child.name)
                defer { g.close() }
                children.append(try node(group: g, path: childPath))
            case let .dataset(shape, type):
                let d = try group.dataset(child.name)
                let attrs = try attributes(of: d)
                d.close()
                if type == .compound, let table = try? group.readTable(child.name) {
                    let n = min(headRows, table.rowCount)
                    let head = table.schema.map { spec in (0..<n).map { row in table[spec.name].map { cell($0, row) } ?? "" } }
                    children.append(Node(path: childPath, kind: "table", attributes: attrs, shape: shape, type: nil,
                                         columns: table.schema.map { ($0.name, $0.type.rawValue) }, rows: table.rowCount,
                                         head: head, children: []))
                } else {
                    children.append(Node(path: childPath, kind: "dataset", attributes: attrs, shape: shape, type: type.description,
                                         columns: nil, rows: nil, head: nil, children: []))
                }
            case .other:
                children.append(Node(path: childPath, kind: "other", attributes: [], shape: nil, type: nil,
                                     columns: nil, rows: nil, head: nil, children: []))
            }
        }
        return Node(path: path, kind: "group", attributes: try attributes(of: group), shape: nil, type: nil,
                    columns: nil, rows: nil, head: nil, children: children)
    }

    private func attributes(of object: H5Object) throws -> [(name: String, value: AttributeValue)] {
        try object.attributeNames().map { ($0, try object.attribute($0)) }
    }

    /// An attribute value as a JSON-compatible value.
    static func jsonValue(_ value: AttributeValue) -> Any {
        switch value {
        case let .string(s): return s
        case let .strings(a): return a
        case let .double(d): return d.isFinite ? d : String(d) as Any
        case let .doubles(a): return a.map { $0.isFinite ? $0 as Any : String($0) }
        case let .int64(i): return i
        case let .int64s(a): return a
        }
    }

    private func cell(_ column: ColumnData, _ row: Int) -> String {
        switch column {
        case let .int64(v): return String(v[row])
        case let .float64(v): return Self.number(v[row])
        case let .float32(v): return Self.number(Double(v[row]))
        case let .string(v): return v[row]
        }
    }

    static func number(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.6g", x)
    }

    /// An attribute value as text: strings quoted, arrays in brackets.
    static func render(_ value: AttributeValue) -> String {
        switch value {
        case let .string(s): return "\"\(s)\""
        case let .strings(a): return "[" + a.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        case let .double(d): return number(d)
        case let .doubles(a): return "[" + a.map(number).joined(separator: ", ") + "]"
        case let .int64(i): return String(i)
        case let .int64s(a): return "[" + a.map(String.init).joined(separator: ", ") + "]"
        }
    }

    /// The tree as indented text.
    public func text(_ root: Node) -> String {
        var out = ""
        func shorten(_ s: String) -> String {
            let flat = s.replacingOccurrences(of: "\n", with: "⏎")
            return flat.count > maxValueLength ? String(flat.prefix(maxValueLength)) + "…" : flat
        }
        func walk(_ n: Node, depth: Int) {
            let pad = String(repeating: "  ", count: depth)
            switch n.kind {
            case "table":
                out += "\(pad)\(n.path)  table, \(n.rows ?? 0) rows: " + (n.columns ?? []).map { "\($0.name) \($0.type)" }.joined(separator: ", ") + "\n"
            case "dataset":
                out += "\(pad)\(n.path)  \(n.type ?? "?") [\((n.shape ?? []).map(String.init).joined(separator: ", "))]\n"
            default:
                out += "\(pad)\(n.path)\n"
            }
            for a in n.attributes { out += "\(pad)  @\(a.name) = \(shorten(Self.render(a.value)))\n" }
            if let columns = n.columns, let head = n.head, let rows = head.first?.count, rows > 0 {
                let widths = columns.indices.map { c in max(columns[c].name.count, head[c].map(\.count).max() ?? 0) }
                func line(_ cells: [String]) -> String {
                    pad + "    " + cells.indices.map { cells[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                }
                out += line(columns.map(\.name)) + "\n"
                for r in 0..<rows { out += line(columns.indices.map { head[$0][r] }) + "\n" }
                if (n.rows ?? 0) > rows { out += pad + "    … \((n.rows ?? 0) - rows) more rows\n" }
            }
            for c in n.children { walk(c, depth: depth + 1) }
        }
        walk(root, depth: 0)
        return out
    }

    /// The tree as a JSON-compatible object.
    public func json(_ n: Node) -> [String: Any] {
        var o: [String: Any] = ["path": n.path, "kind": n.kind,
                                "attributes": Dictionary(n.attributes.map { ($0.name, Self.jsonValue($0.value)) }, uniquingKeysWith: { a, _ in a })]
        if let shape = n.shape { o["shape"] = shape }
        if let type = n.type { o["type"] = type }
        if let columns = n.columns { o["columns"] = columns.map { ["name": $0.name, "type": $0.type] } }
        if let rows = n.rows { o["rows"] = rows }
        if let head = n.head, let columns = n.columns {
            o["head"] = Dictionary(zip(columns.map(\.name), head), uniquingKeysWith: { a, _ in a })
        }
        if !n.children.isEmpty { o["children"] = n.children.map(json) }
        return o
    }
}
