/// A fixed-size array of `Double` shared with Lua without copying.
///
/// Push it as a handle (``LuaHandle`` of type ``LuaHandleType/numberArray``, or
/// ``LuaCallArguments/push(_:)-(LuaNumberArray)``): Lua sees a `NumberArray` userdata with
/// `a[i]` (1-based, range-checked), `a[i] = x` and `#a`, implemented in C on the same memory.
/// Use it for vectors that must not cross as Lua tables. Not thread-safe.
public final class LuaNumberArray {
    /// The elements; the address is stable for the array's lifetime.
    public let buffer: UnsafeMutableBufferPointer<Double>

    /// Creates `count` elements set to `value`.
    public init(count: Int, repeating value: Double = 0) {
        buffer = .allocate(capacity: max(0, count))
        buffer.initialize(repeating: value)
    }

    /// Creates an array holding `values`.
    public convenience init<C: Collection>(_ values: C) where C.Element == Double {
        self.init(count: values.count)
        _ = buffer.initialize(from: values)
    }

    deinit { buffer.deallocate() }

    /// Number of elements.
    public var count: Int { buffer.count }

    /// Element `index` (0-based, as in Swift).
    public subscript(index: Int) -> Double {
        get { buffer[index] }
        set { buffer[index] = newValue }
    }

    /// A copy of the elements.
    public var values: [Double] { Array(buffer) }
}
