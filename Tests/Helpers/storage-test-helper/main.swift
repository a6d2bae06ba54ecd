// storage-test-helper: child process for StorageTests.
//   crash <path> <rows> [--keep-writing]  append+flush <rows> rows, print "ready", then wait (or keep
//                                         appending unflushed rows) until killed
//   errors <dir>                          open broken and foreign files on two threads, print the errors
//   leaks <dir>                           run a full write/read cycle twice, print open HDF5 identifiers
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "crash" where arguments.count >= 3:
        try crashAppend(path: arguments[1], rows: Int(arguments[2]) ?? 0, keepWriting: arguments.contains("--keep-writing"))
    case "errors" where arguments.count == 2:
        try printForeignFileErrors(directory: arguments[1])
    case "leaks" where arguments.count == 2:
        exit(try checkLeaks(directory: arguments[1]) ? 0 : 1)
    default:
        FileHandle.standardError.write(Data("usage: storage-test-helper crash PATH ROWS [--keep-writing] | errors DIR | leaks DIR\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("storage-test-helper: \(error)\n".utf8))
    exit(1)
}
