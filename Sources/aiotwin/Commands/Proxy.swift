import ArgumentParser

/// `aiotwin proxy`: QoS-aware request routing.
struct Proxy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "QoS-aware routing: simulate scenarios, emulate them over loopback, serve as a reverse proxy.",
        subcommands: [Serve.self, Simulate.self, Emulate.self])
}
