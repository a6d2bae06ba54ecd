import ArgumentParser
import ProxyCommand
import Routing
import Workbench

/// `aiotwin proxy serve`: the QoS-aware HTTP/1.1 reverse proxy, with Lua plugins as balancers.
/// (`aiotwin-proxy` is the same proxy without the workbench, for deployments.)
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the QoS-aware reverse proxy on a registry of services and instances.",
        discussion: ProxyServeOptions.discussion(policies:
            "a built-in (slo_aware, nodeport, peak_ewma_p2c), an algorithm of --scenario, or a Lua balancer or predictor plugin. The lean aiotwin-proxy binary serves the same without Lua."))

    @OptionGroup var options: ProxyServeOptions

    @Option(help: ArgumentHelp("Another plugin directory (repeatable).", valueName: "dir"))
    var plugins: [String] = []

    func run() async throws {
        let pluginDirectories = PluginCatalog.defaultDirectories(extra: plugins)
        // One script host per service: Lua states are single-threaded, services are routed concurrently.
        try await ProxyServeRunner.run(options) { request in
            var c = ScriptHost.Configuration()
            c.pluginDirectories = pluginDirectories
            let logger = request.logger, service = request.service
            c.print = { logger.info("\(service): \($0)") }
            let catalog = PolicyCatalog(algorithms: request.algorithms, context: request.context,
                                        host: try ScriptHost(configuration: c))
            return try catalog.make(request.balancer)
        }
    }
}
