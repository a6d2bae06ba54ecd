import Learning

/// Process entry: make sure OpenBLAS runs the right kernel, then parse the command line.
@main
enum Entry {
    static func main() {
        BLASKernelSelection.restartIfNeeded()
        AIoTwin.main()
    }
}
