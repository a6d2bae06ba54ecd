import ArgumentParser
import Workbench

/// The `aiotwin` command.
struct AIoTwin: AsyncParsableCommand {
    static let version = WorkbenchInfo.version

    static let configuration = CommandConfiguration(
        commandName: "aiotwin",
        abstract: "A research workbench for adaptive federated learning and QoS-aware routing.",
        discussion: """
            Train models with OpenBLAS, federate them, and compare strategies written in Lua.
            Start with `aiotwin doctor` to check the machine, then `aiotwin train`.
            """,
        version: version,
        subcommands: [Run.self, Notebook.self, Train.self, Compare.self, Inspect.self, Proxy.self, Plugins.self, Bench.self, Doctor.self])
}
