@preconcurrency import Glibc
import ArgumentParser
import ProxyCommand

/// `aiotwin-proxy`: the QoS-aware reverse proxy alone, for the nodes of a deployment. It links
/// no BLAS, HDF5 or Lua, so it starts in milliseconds and stays small (about 25 MB resident under
/// load as `scripts/build-proxy.sh` builds it, against 38 MB for `aiotwin proxy serve`); its
/// policies are the built-ins and the algorithms of `--scenario`.
@main
struct AIoTwinProxy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aiotwin-proxy",
        abstract: "The QoS-aware HTTP/1.1 reverse proxy (the lean build of aiotwin proxy serve).",
        discussion: ProxyServeOptions.discussion(policies:
            "a built-in (slo_aware, nodeport, peak_ewma_p2c) or an algorithm of --scenario (Lua balancers need aiotwin proxy serve)."))

    @OptionGroup var options: ProxyServeOptions

    static func main() async {
        // Line-buffered even into pipes: "listening HOST:PORT" reaches supervisors at once.
        setvbuf(stdout, nil, _IOLBF, 0)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    func run() async throws {
        try await ProxyServeRunner.run(options, policies: ProxyServeRunner.builtinPolicy)
    }
}
