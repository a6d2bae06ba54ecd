import ArgumentParser

/// `aiotwin proxy`: QoS-aware request routing.
struct Proxy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "QoS-aware routing: simulate scenarios, emulate them over loopback, serve as a reverse proxy.",
        subcommands: [Simulate.self])
}
