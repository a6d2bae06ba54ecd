@preconcurrency import Glibc
import Foundation
import Learning

/// Process entry: make sure OpenBLAS runs the right kernel, then parse the command line.
@main
enum Entry {
    static func main() async {
        BLASKernelSelection.restartIfNeeded()
        // Line-buffered even into pipes: script output and progress reach logs as they happen.
        setvbuf(stdout, nil, _IOLBF, 0)
        await AIoTwin.main()
    }
}
