/// A handle type registered with ``LuaState/registerType(name:methods:)``.
///
/// Valid only for the state that returned it. ``numberArray`` is built in.
public struct LuaHandleType: Sendable, Hashable {
    /// The Lua-visible name (`__name`, used in `tostring` and argument errors).
    public let name: String
    /// Index of the type in its state.
    public let id: Int32

    /// The built-in type of ``LuaNumberArray`` (`NumberArray` in Lua).
    public static let numberArray = LuaHandleType(name: "NumberArray", id: 0)
}

/// A Swift object exposed to Lua as a full userdata of a registered handle type.
///
/// The userdata holds a strong reference to ``object``, released by its `__gc`. Pushing the same
/// object again yields the same userdata while Lua still holds it.
public struct LuaHandle: Hashable {
    /// The Swift object.
    public let object: AnyObject
    /// Its Lua type.
    public let type: LuaHandleType

    /// Wraps `object` as a handle of `type`.
    public init(_ object: AnyObject, type: LuaHandleType) {
        self.object = object
        self.type = type
    }

    /// The object, if it is a `T`.
    public func object<T: AnyObject>(as _: T.Type) -> T? { object as? T }

    /// Identity of object and type.
    public static func == (a: LuaHandle, b: LuaHandle) -> Bool { a.object === b.object && a.type == b.type }

    /// Hashes the object identity and type.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(object))
        hasher.combine(type)
    }
}
