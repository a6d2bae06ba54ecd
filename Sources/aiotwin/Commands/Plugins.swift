import ArgumentParser
import Foundation
import Workbench

/// `aiotwin plugins`: the Lua plugins on the plugin path.
struct Plugins: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List and describe Lua plugins (strategies, predictors, balancers).",
        subcommands: [List.self, Show.self])

    struct PathOptions: ParsableArguments {
        @Option(help: ArgumentHelp("Another plugin directory, searched first (repeatable).", valueName: "dir"))
        var plugins: [String] = []
        var catalog: PluginCatalog { PluginCatalog(directories: PluginCatalog.defaultDirectories(extra: plugins)) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the plugins with kind and version.")
        @OptionGroup var path: PathOptions

        func run() throws {
            let catalog = path.catalog
            if catalog.entries.isEmpty { print("no plugins in \(catalog.directories.joined(separator: ":"))") }
            for e in catalog.entries {
                do {
                    let d = try catalog.describe(e.name)
                    print("\(d.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(d.kind.padding(toLength: 10, withPad: " ", startingAt: 0)) \(d.version.padding(toLength: 8, withPad: " ", startingAt: 0)) \(d.summary)")
                } catch {
                    print("\(e.name.padding(toLength: 20, withPad: " ", startingAt: 0)) BROKEN     \(error)")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a plugin's declaration, parameters and functions.")
        @Argument(help: "The plugin name.") var name: String
        @OptionGroup var path: PathOptions

        func run() throws {
            let d = try path.catalog.describe(name)
            print("\(d.name) \(d.version) (\(d.kind))")
            if !d.summary.isEmpty { print(d.summary) }
            print("file: \(d.path)")
            print("parameters:" + (d.parameters.isEmpty ? " none" : ""))
            for p in d.parameters { print("  \(p.name) = \(p.value)") }
            print("functions: \(d.functions.joined(separator: ", "))")
        }
    }
}
