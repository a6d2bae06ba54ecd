import CHDF5

/// Plumbing shared by every wrapper: per-thread error silencing and return-code checks.
enum H5 {
    /// Turns off HDF5's automatic `HDF5-DIAG` printing for the calling thread. HDF5 keeps this
    /// setting per thread and Swift code may run on any thread, so every public entry point calls it.
    static func silence() {
        _ = H5Eset_auto2(ch5_e_default(), nil, nil)
    }

    /// Returns `value` when it is not negative; otherwise throws the thread's HDF5 error stack.
    @discardableResult
    static func check<T: BinaryInteger>(_ value: T, _ operation: @autoclosure () -> String,
                                        file: String) throws -> T {
        guard value < 0 else { return value }
        throw HDF5Error.takeStack(operation: operation(), path: file)
    }

    /// Evaluates an `htri_t` result: `true`, `false`, or a thrown HDF5 error.
    static func isTrue(_ value: htri_t, _ operation: @autoclosure () -> String, file: String) throws -> Bool {
        try check(value, operation(), file: file) > 0
    }
}
