import Foundation
import Scripting

/// Converts between Lua values and JSON, for configurations and event details.
enum LuaJSON {
    /// A JSON-compatible object: sequences become arrays, other tables objects with string keys,
    /// handles their type name.
    static func object(_ value: LuaValue) -> Any {
        switch value {
        case .nil: return NSNull()
        case let .boolean(b): return b
        case let .integer(i): return i
        case let .number(d): return d.isFinite ? d : String(d) as Any
        case let .string(s): return s
        case let .table(t):
            if t.hash.isEmpty { return t.array.map(object) }
            var o: [String: Any] = [:]
            for (i, v) in t.array.enumerated() { o[String(i + 1)] = object(v) }
            for (k, v) in t.hash { o[k.stringValue ?? k.description] = object(v) }
            return o
        case let .userdata(h): return "<\(h.type.name)>"
        case .function: return "<function>"
        case let .opaque(r): return "<\(r.typeName)>"
        }
    }

    /// JSON text with sorted keys.
    static func text(_ value: LuaValue) -> String {
        let o = object(value)
        guard JSONSerialization.isValidJSONObject(o),
              let data = try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            // A scalar: JSONSerialization wants a container, so wrap and strip.
            if let data = try? JSONSerialization.data(withJSONObject: [o], options: [.fragmentsAllowed]) {
                return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
            }
            return "null"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A Lua value from parsed JSON.
    static func value(_ object: Any) -> LuaValue {
        switch object {
        case let n as NSNumber:
            // objCType tells booleans ("c"), integers and floats ("d", "f") apart on Linux too.
            switch String(cString: n.objCType) {
            case "c": return .boolean(n.boolValue)
            case "d", "f": return .number(n.doubleValue)
            default: return .integer(n.int64Value)
            }
        case let s as String: return .string(s)
        case let a as [Any]: return .table(LuaTable(array: a.map(value)))
        case let d as [String: Any]:
            var t = LuaTable()
            for (k, v) in d { t[k] = value(v) }
            return .table(t)
        default: return .nil
        }
    }
}
