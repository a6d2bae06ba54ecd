import Foundation
import Storage
import Testing

/// The repository root and the reference scenario file.
private enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let scenario = root + "/datasets/scenarios/deliverable.yaml"
    static func scenarioText() throws -> String { try String(contentsOfFile: scenario, encoding: .utf8) }
}

/// The value text of `"key" : value` in pretty-printed JSON (for checking how a number is written).
private func jsonValueText(_ json: String, key: String) -> String? {
    guard let range = json.range(of: "\"\(key)\" : ") else { return nil }
    let rest = json[range.upperBound...]
    return String(rest.prefix { $0 != "," && $0 != "\n" }).trimmingCharacters(in: .whitespaces)
}

/// Runs `aiotwin args…` without blocking a thread of the test pool (every command here ends in
/// well under the timeout).
private func aiotwin(_ args: [String]) async throws -> AIoTwinBinary.Result {
    try #require(try await runAIoTwin(args, timeout: 60), "aiotwin \(args.joined(separator: " ")) did not end within 60 s")
}

/// `stderr` without trailing newlines, split into lines.
private func lines(_ text: String) -> [Substring] {
    text.split(separator: "\n", omittingEmptySubsequences: true)
}

// MARK: - proxy simulate

@Suite("aiotwin proxy simulate through the binary")
struct ProxySimulateCommandTests {
    /// R(i), the mean warm proxied response of each instance (deliverable.yaml,
    /// `expected_behaviour.warm_proxied_response_ms`), and the NodePort extra
    /// (`latency_model.nodeport.extra_ms`): the file's own numbers, not the simulator's.
    static let warmResponseMs: [String: Double] = ["s3": 6.02, "s4": 27.42, "s5": 47.42, "s6": 67.42, "s1": 107.42,
                                                   "s2": 107.42, "s7": 177.42]
    static let nodeportExtraMs = 42.9
    static let tauMs = 80.0
    /// `latency_model.jitter`: normal, σ 1 ms, truncated at 3σ.
    static let jitterBoundMs = 3.0

    func simulate(_ args: [String]) async throws -> (result: AIoTwinBinary.Result, json: [String: Any]) {
        let r = try await aiotwin(["proxy", "simulate", "--scenario", Repository.scenario, "--json"] + args)
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
                                  "not a JSON object: \(r.stdout)")
        return (r, object)
    }

    @Test("--json: documented keys and types; nodeport on static spreads uniformly and matches the latency model")
    func nodeportStaticJSON() async throws {
        let (r, json) = try await simulate(["--balancer", "nodeport", "--case", "static", "--seed", "1"])
        for key in ["requests", "success_rate", "mean_response_ms", "p50_ms", "p99_ms", "per_instance"] {
            #expect(json[key] != nil, "missing key \(key) in \(r.stdout)")
        }
        #expect(json["balancer"] as? String == "nodeport")
        #expect(json["case"] as? String == "static")
        #expect(json["seeds"] as? [Int] == [1])

        // Types as written: requests an integer, the rest numbers, per_instance name → integer.
        let requestsText = try #require(jsonValueText(r.stdout, key: "requests"))
        #expect(Int(requestsText) != nil, "requests is written as \(requestsText)")
        let requests = try #require(json["requests"] as? Int)
        #expect(requests == 4000)  // scenarios.static.requests
        let success = try #require(json["success_rate"] as? Double)
        #expect((0...1).contains(success))
        let mean = try #require(json["mean_response_ms"] as? Double)
        let p50 = try #require(json["p50_ms"] as? Double)
        let p99 = try #require(json["p99_ms"] as? Double)
        #expect(p50 <= p99)
        let perInstance = try #require(json["per_instance"] as? [String: Int])
        for name in perInstance.keys {
            #expect(Int(try #require(jsonValueText(r.stdout, key: name))) != nil, "per_instance.\(name) is not an integer")
        }

        // NodePort: uniform over all 7 instances (σ of a share ≈ 0.0055 at 4000 requests).
        #expect(Set(perInstance.keys) == Set(Self.warmResponseMs.keys))
        #expect(perInstance.values.reduce(0, +) == requests)
        for (name, count) in perInstance {
            let share = Double(count) / Double(requests)
            #expect(abs(share - 1.0 / 7) < 0.03, "share of \(name): \(share)")
        }

        // Success: exactly the requests sent to instances with R + extra < τ (s3 and s4; the
        // others miss by more than the jitter bound).
        let meeting = Self.warmResponseMs.filter { $0.value + Self.nodeportExtraMs + Self.jitterBoundMs < Self.tauMs }.keys
        #expect(Set(meeting) == ["s3", "s4"])
        let expectedSuccesses = meeting.reduce(0) { $0 + (perInstance[$1] ?? 0) }
        #expect(Int((success * Double(requests)).rounded()) == expectedSuccesses)

        // Mean: Σ count_i (R_i + extra) / n, the jitter having mean 0 (its mean over 4000 requests is ≪ 0.2 ms).
        let expectedMean = perInstance.reduce(0.0) { $0 + Double($1.value) * (Self.warmResponseMs[$1.key]! + Self.nodeportExtraMs) }
            / Double(requests)
        #expect(abs(mean - expectedMean) < 0.2, "mean \(mean), model \(expectedMean)")

        // Quantiles: the instance holding the quantile's rank, ± the jitter bound.
        let ordered = perInstance.sorted { Self.warmResponseMs[$0.key]! < Self.warmResponseMs[$1.key]! }
        func instance(atRank rank: Double) -> String? {
            var cumulative = 0
            for (name, count) in ordered {
                if Double(cumulative) + 2 < rank && rank < Double(cumulative + count) - 2 { return name }
                cumulative += count
            }
            return nil  // too close to a boundary between instances
        }
        for (q, value) in [(0.5, p50), (0.99, p99)] {
            if let name = instance(atRank: q * Double(requests)) {
                let model = Self.warmResponseMs[name]! + Self.nodeportExtraMs
                #expect(abs(value - model) <= Self.jitterBoundMs + 0.01, "p\(Int(q * 100)) \(value), \(name) gives \(model)")
            }
        }
    }

    @Test("the same seed gives byte-identical output; another seed does not",
          arguments: ["nodeport", "slo_aware", "qedgeproxy", "proxymity_alpha_0_8"])
    func deterministic(_ balancer: String) async throws {
        let args = ["--balancer", balancer, "--case", "dynamic", "--seed", "7"]
        let first = try await simulate(args).result.stdout
        let second = try await simulate(args).result.stdout
        #expect(first == second)
        let other = try await simulate(["--balancer", balancer, "--case", "dynamic", "--seed", "8"]).result.stdout
        #expect(other != first)
    }

    @Test("several seeds pool their requests; dynamic instances appear only in their phases")
    func pooledSeeds() async throws {
        let (_, json) = try await simulate(["--balancer", "slo_aware", "--case", "dynamic", "--seeds", "2"])
        #expect(json["seeds"] as? [Int] == [0, 1])  // workload.first_seed 0, the first two seeds
        let requests = try #require(json["requests"] as? Int)
        #expect(requests == 2 * 3750)  // scenarios.dynamic.requests per seed
        let perInstance = try #require(json["per_instance"] as? [String: Int])
        #expect(perInstance.values.reduce(0, +) == requests)
        #expect(Set(perInstance.keys).isSubset(of: Set(Self.warmResponseMs.keys)))
        // s3 exists from request 750 (T1) to request 2250 (T3 removes it).
        #expect((perInstance["s3"] ?? 0) <= 2 * 1500)
        let success = try #require(json["success_rate"] as? Double)
        #expect((0...1).contains(success))
    }

    @Test("--out writes a run file that inspect and compare (table, histogram, shares) accept")
    func runFile() async throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        let nodeport = dir + "/nodeport.h5", slo = dir + "/slo.h5"
        let (_, json) = try await simulate(["--balancer", "nodeport", "--case", "static", "--seed", "1", "--out", nodeport])
        _ = try await simulate(["--balancer", "slo_aware", "--case", "static", "--seed", "1", "--out", slo])
        let requests = try #require(json["requests"] as? Int)
        let perInstance = try #require(json["per_instance"] as? [String: Int])

        // The file itself, read with the storage library: completed, one row per request, and
        // the same per-instance counts as the JSON summary.
        let file = try RunFile.open(path: nodeport)
        #expect(try file.status == .completed)
        let table = try file.readTable("requests")
        let instances = try #require(table["instance"]?.strings)
        #expect(instances.count == requests)
        #expect(Dictionary(instances.map { ($0, 1) }, uniquingKeysWith: +) == perInstance)
        try file.close()

        // inspect: text and JSON.
        let inspect = try await aiotwin(["inspect", nodeport])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("/metrics/requests  table, \(requests) rows"))
        #expect(inspect.stdout.contains("@status = \"completed\""))
        let inspectJSON = try await aiotwin(["inspect", nodeport, "--json"])
        #expect(inspectJSON.status == 0)
        var tables: [String: Int] = [:]
        func walk(_ node: [String: Any]) {
            if node["kind"] as? String == "table", let path = node["path"] as? String { tables[path] = node["rows"] as? Int }
            for child in node["children"] as? [[String: Any]] ?? [] { walk(child) }
        }
        walk(try #require(try JSONSerialization.jsonObject(with: Data(inspectJSON.stdout.utf8)) as? [String: Any]))
        #expect(tables == ["/metrics/requests": requests, "/metrics/seeds": 1, "/metrics/instances": 7])

        // compare: the response-time distribution table and a histogram plot.
        let histogram = dir + "/histogram.svg"
        let compare = try await aiotwin(["compare", nodeport, slo, "--table", "requests", "--metric", "response_ms",
                                             "--kind", "histogram", "--format", "json", "--plot", histogram])
        #expect(compare.status == 0, "\(compare.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["run"] as? String } == ["nodeport", "slo"])
        let row = try #require(rows.first)
        #expect(row["count"] as? Int == requests)
        #expect(row["status"] as? String == "completed")
        let mean = try #require(row["mean response_ms"] as? Double)
        #expect(abs(mean - (json["mean_response_ms"] as? Double ?? .nan)) < 1e-6)
        #expect(abs((row["success"] as? Double ?? .nan) - (json["success_rate"] as? Double ?? .nan)) < 1e-9)
        let svg = try String(contentsOfFile: histogram, encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("</svg>"))

        // Per-instance shares: a bar per instance.
        let shares = dir + "/shares.svg"
        let sharesRun = try await aiotwin(["compare", nodeport, slo, "--table", "requests", "--metric", "response_ms",
                                               "--kind", "shares", "--plot", shares])
        #expect(sharesRun.status == 0, "\(sharesRun.stderr)")
        let sharesSVG = try String(contentsOfFile: shares, encoding: .utf8)
        for name in perInstance.keys { #expect(sharesSVG.contains(">\(name)<"), "no bar label \(name)") }

        // The line kind needs an x column: the request table has time_s, not round.
        let line = try await aiotwin(["compare", nodeport, "--table", "requests", "--metric", "response_ms", "--by", "time",
                                          "--format", "json"])
        #expect(line.status == 0, "\(line.stderr)")
        let byRound = try await aiotwin(["compare", nodeport, "--table", "requests", "--metric", "response_ms"])
        #expect(byRound.status != 0)
        #expect(byRound.stderr.contains("--kind"), "\(byRound.stderr)")
    }

    @Test("a bad scenario file: non-zero exit, one line naming the file and the key path, no crash",
          arguments: [
            ("  pod_hop_rtt_ms: 0.3", "  pod_hop_jitter_ms: 2\n  pod_hop_rtt_ms: 0.3", "unknown key 'latency_model.pod_hop_jitter_ms'"),
            ("  rate_per_s: 2.0\n", "", "missing key 'workload.rate_per_s'"),
            ("  seeds: 20\n", "  seeds: many\n", "'workload.seeds'"),
            ("  rate_per_s: 2.0\n", "  rate_per_s: -2.0\n", "invalid value for 'workload.rate_per_s'"),
            ("{name: worker4, tier: far_edge,  rtt_ms: 20.0}", "{name: worker4, tier: far_edge,  rtt_ms: -20.0}",
             "invalid value for 'topology.nodes[4].rtt_ms'"),
            ("{name: s5, node: worker5, service_ms: 5.0}", "{name: s5, node: worker9, service_ms: 5.0}",
             "invalid value for 'instances[4].node': unknown node 'worker9'"),
            ("{type: service_time_add, instance: s3, add_ms: 100.0}", "{type: teleport, instance: s3, add_ms: 100.0}",
             "'scenarios.dynamic.phases[2].events[0].type'"),
          ] as [(String, String, String)])
    func badScenario(_ old: String, _ new: String, _ expected: String) async throws {
        let original = try Repository.scenarioText()
        #expect(original.contains(old), "the reference file changed: no \(old.debugDescription)")
        let dir = try AIoTwinBinary.temporaryDirectory()
        let path = dir + "/broken-scenario.yaml"
        try original.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
        let r = try await aiotwin(["proxy", "simulate", "--scenario", path, "--balancer", "nodeport", "--case", "static",
                                       "--seed", "1", "--json"])
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(lines(r.stderr).count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("broken-scenario.yaml: "), "stderr: \(r.stderr)")
        #expect(r.stderr.contains(expected), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test("an empty or non-YAML scenario file: a clear error naming the file")
    func unreadableScenario() async throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        for (name, text, fragment) in [("empty.yaml", "", "empty.yaml: "), ("list.yaml", "- a\n- b\n", "list.yaml: "),
                                       ("syntax.yaml", "schema: [unclosed\n  - : :\n", "syntax.yaml: not valid YAML: 2:")] {
            try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
            let r = try await aiotwin(["proxy", "simulate", "--scenario", "\(dir)/\(name)", "--balancer", "nodeport"])
            #expect(r.status != 0)
            #expect(r.stderr.contains(fragment), "stderr: \(r.stderr)")
            #expect(!r.stderr.contains("''"), "an empty key path says nothing: \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"))
        }
    }

    @Test("unknown balancer, case or variant: a clear error listing what exists",
          arguments: [
            (["--balancer", "roundrobin", "--case", "static"],
             ["unknown balancer 'roundrobin'", "nodeport", "slo_aware", "peak_ewma_p2c", "qedgeproxy", "proxymity_alpha_1_0"]),
            (["--balancer", "nodeport", "--case", "chaos"], ["no scenario 'chaos'", "dynamic, static", "deliverable.yaml"]),
            (["--balancer", "nodeport", "--case", "dynamic", "--variant", "nope"], ["no variant 'nope'", "calibrated", "deliverable.yaml"]),
          ] as [([String], [String])])
    func unknownNames(_ args: [String], _ fragments: [String]) async throws {
        let r = try await aiotwin(["proxy", "simulate", "--scenario", Repository.scenario, "--seed", "1"] + args)
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        // One line: the error, no usage text after it.
        #expect(lines(r.stderr).count == 1, "stderr: \(r.stderr)")
        let first = try #require(lines(r.stderr).first)
        for fragment in fragments { #expect(first.contains(fragment), "stderr: \(r.stderr)") }
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test("a missing scenario file is named")
    func missingFile() async throws {
        let r = try await aiotwin(["proxy", "simulate", "--scenario", "/no/such/dir/missing-scenario.yaml", "--balancer", "nodeport"])
        #expect(r.status != 0)
        #expect(lines(r.stderr).count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("missing-scenario.yaml: cannot read"), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
    }
}

// MARK: - proxy serve

@Suite("aiotwin proxy serve through the binary")
struct ProxyServeCommandTests {
    /// Stops the proxy with `signal` and expects a clean exit (status 0, not killed).
    func expectCleanStop(_ server: ServeProcess, signal: Int32 = SIGTERM) async {
        let ending = await server.stop(signal: signal)
        #expect(ending.isCleanExit, "after signal \(signal): \(ending); stderr: \(server.standardError)")
        #expect(!server.standardError.contains("Fatal error"))
        #expect(!server.standardError.contains("ERROR"), "\(server.standardError)")
    }

    @Test("GET and POST are proxied: status, body, path and query kept, X-Forwarded-For added")
    func passThrough() async throws {
        let upstream = try await EchoUpstream.start(name: "u1")
        defer { Task { await upstream.stop() } }
        let registry = try RegistryFileFixture.temporary(["alpha": [("a1", upstream.address)]])
        let server = try await ServeProcess.start(registry: registry.path)  // default balancer: slo_aware
        defer { server.kill() }

        let get = try await RawHTTP.request(port: server.port, "GET", "/items/42?x=1&y=two%20words",
                                            headers: [("X-Service", "alpha"), ("Accept", "application/json")])
        #expect(get.status == 200, "\(get)")
        #expect(get.header("X-Upstream") == "u1")
        let seen = try #require(get.echo, "\(get)")
        #expect(seen.method == "GET")
        #expect(seen.uri == "/items/42?x=1&y=two%20words")
        #expect(seen.values("X-Forwarded-For") == ["127.0.0.1"])
        #expect(seen.values("Accept") == ["application/json"])

        // A client's X-Forwarded-For is extended; a POST body and the upstream's status pass through.
        let body = #"{"sensor": "co2", "ppm": 412.5}"#
        let post = try await RawHTTP.request(port: server.port, "POST", "/ingest?batch=3&status=201",
                                             headers: [("X-Service", "alpha"), ("X-Forwarded-For", "10.9.8.7"),
                                                       ("Content-Type", "application/json")],
                                             body: body)
        #expect(post.status == 201, "\(post)")
        let posted = try #require(post.echo, "\(post)")
        #expect(posted.method == "POST")
        #expect(posted.uri == "/ingest?batch=3&status=201")
        #expect(posted.body == body)
        #expect(posted.values("Content-Length") == [String(body.utf8.count)])
        #expect(posted.values("X-Forwarded-For") == ["10.9.8.7, 127.0.0.1"])
        #expect(upstream.requests == 2)
        await expectCleanStop(server)
    }

    @Test("the service comes from X-Service, else the Host's first label; unknown → 404; /healthz; /metrics counts per service")
    func namingHealthAndMetrics() async throws {
        let a = try await EchoUpstream.start(name: "a1"), b = try await EchoUpstream.start(name: "b1")
        defer { Task { await a.stop(); await b.stop() } }
        let registry = try RegistryFileFixture.temporary(["alpha": [("a1", a.address)], "beta": [("b1", b.address)]])
        let server = try await ServeProcess.start(registry: registry.path, arguments: ["--balancer", "nodeport"])
        defer { server.kill() }
        let port = server.port

        for _ in 0..<3 { #expect(try await RawHTTP.get(port: port, "/", service: "alpha").header("X-Upstream") == "a1") }
        let byHost = try await RawHTTP.request(port: port, "GET", "/", headers: [("Host", "beta.default.svc.cluster.local:9090")])
        #expect(byHost.status == 200 && byHost.header("X-Upstream") == "b1", "\(byHost)")
        let headerWins = try await RawHTTP.request(port: port, "GET", "/", headers: [("Host", "alpha:9090"), ("X-Service", "beta")])
        #expect(headerWins.header("X-Upstream") == "b1", "\(headerWins)")

        let unknownHost = try await RawHTTP.request(port: port, "GET", "/", headers: [("Host", "ghost.example")])
        #expect(unknownHost.status == 404)
        #expect(unknownHost.body.contains("unknown service \"ghost\""), "\(unknownHost)")
        let unknownHeader = try await RawHTTP.get(port: port, "/", service: "phantom")
        #expect(unknownHeader.status == 404)
        #expect(unknownHeader.body.contains("unknown service \"phantom\""), "\(unknownHeader)")

        let health = try await RawHTTP.request(port: port, "GET", "/healthz")
        #expect(health.status == 200 && health.body == "ok\n", "\(health)")

        let metrics = try await RawHTTP.request(port: port, "GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.body.contains("# TYPE aiotwin_proxy_requests_total counter"))
        #expect(metrics.body.contains(#"aiotwin_proxy_requests_total{service="alpha",upstream="a1",outcome="2xx"} 3"#), "\(metrics.body)")
        #expect(metrics.body.contains(#"aiotwin_proxy_requests_total{service="beta",upstream="b1",outcome="2xx"} 2"#), "\(metrics.body)")
        #expect(metrics.body.contains(#"aiotwin_proxy_rejected_total{reason="unknown_service"} 2"#), "\(metrics.body)")
        #expect(a.requests == 3 && b.requests == 2)
        await expectCleanStop(server, signal: SIGINT)
    }

    @Test("no instance → 503 with Retry-After; every instance refusing → 502; both with a clear body")
    func unavailable() async throws {
        let live = try await EchoUpstream.start(name: "l1")
        defer { Task { await live.stop() } }
        // Two instances that refuse connections.
        let gone1 = try RefusingPort(), gone2 = try RefusingPort()
        defer { withExtendedLifetime((gone1, gone2)) {} }
        let registry = try RegistryFileFixture.temporary(["live": [("l1", live.address)], "idle": [], "dead": [("d1", gone1.address), ("d2", gone2.address)]])
        let server = try await ServeProcess.start(registry: registry.path)
        defer { server.kill() }
        let port = server.port

        let none = try await RawHTTP.get(port: port, "/", service: "idle")
        #expect(none.status == 503, "\(none)")
        #expect(none.header("Retry-After").flatMap(Int.init) != nil, "\(none)")
        #expect(none.body.contains("no instance of service \"idle\""), "\(none)")

        for method in ["GET", "POST"] {
            let refused = try await RawHTTP.request(port: port, method, "/x", headers: [("X-Service", "dead")],
                                                    body: method == "POST" ? "reading=1" : nil)
            #expect(refused.status == 502, "\(method): \(refused)")
            #expect(refused.body.contains("upstream of service \"dead\" failed"), "\(refused)")
        }
        let metrics = try await RawHTTP.request(port: port, "GET", "/metrics").body
        #expect(metrics.contains(#"service="dead",upstream="d1",outcome="connect_refused""#), "\(metrics)")
        #expect(metrics.contains(#"service="dead",upstream="d2",outcome="connect_refused""#), "\(metrics)")

        // The other service is unaffected.
        #expect(try await RawHTTP.get(port: port, "/", service: "live").status == 200)
        await expectCleanStop(server)
    }

    @Test("registry reload: instances and services added and removed take effect within a couple of seconds")
    func reload() async throws {
        let u1 = try await EchoUpstream.start(name: "u1"), u2 = try await EchoUpstream.start(name: "u2")
        defer { Task { await u1.stop(); await u2.stop() } }
        let registry = try RegistryFileFixture.temporary(["alpha": [("i1", u1.address)]])
        let server = try await ServeProcess.start(registry: registry.path, arguments: ["--balancer", "nodeport"])
        defer { server.kill() }
        let port = server.port
        func upstream(_ service: String) async throws -> String? {
            try await RawHTTP.get(port: port, "/", service: service).header("X-Upstream")
        }
        for _ in 0..<3 { #expect(try await upstream("alpha") == "u1") }
        #expect(try await RawHTTP.get(port: port, "/", service: "beta").status == 404)

        // How long the proxy took to apply the n-th change written at `written`, from its log
        // (whole seconds; the file is polled every second): independent of how busy this test's threads are.
        func expectPrompt(_ n: Int, written: Date) {
            let times = server.logTimes(of: "registry reloaded")
            guard times.count >= n else {
                Issue.record("reload \(n) not logged: \(server.standardError)")
                return
            }
            let delay = times[n - 1].timeIntervalSince(written.addingTimeInterval(-written.timeIntervalSince1970.truncatingRemainder(dividingBy: 1)))
            #expect(delay <= 3, "reload \(n) logged \(delay) s after the write (whole seconds)")
        }

        // Replace alpha's instance and add a service.
        var written = Date()
        try registry.write(["alpha": [("i2", u2.address)], "beta": [("b1", u1.address)]])
        var switched = try await eventually(within: 10) { try await upstream("alpha") == "u2" }
        #expect(switched, "alpha still routed to u1; stderr: \(server.standardError)")
        expectPrompt(1, written: written)
        for _ in 0..<5 { #expect(try await upstream("alpha") == "u2") }
        #expect(try await upstream("beta") == "u1")

        // Add an instance: both get requests (nodeport is uniform; 40 requests miss one with p ≈ 2e-12).
        written = Date()
        try registry.write(["alpha": [("i1", u1.address), ("i2", u2.address)], "beta": [("b1", u1.address)]])
        var seen = Set<String>()
        switched = try await eventually(within: 10) {
            if let name = try await upstream("alpha") { seen.insert(name) }
            return seen == ["u1", "u2"]
        }
        #expect(switched, "alpha instances seen: \(seen)")
        expectPrompt(2, written: written)

        // Remove the service again.
        written = Date()
        try registry.write(["alpha": [("i1", u1.address), ("i2", u2.address)]])
        switched = try await eventually(within: 10) { try await RawHTTP.get(port: port, "/", service: "beta").status == 404 }
        #expect(switched)
        expectPrompt(3, written: written)
        await expectCleanStop(server)
    }

    @Test("an invalid or missing registry file while running keeps the last good registry")
    func invalidReload() async throws {
        let u1 = try await EchoUpstream.start(name: "u1"), u2 = try await EchoUpstream.start(name: "u2")
        defer { Task { await u1.stop(); await u2.stop() } }
        let registry = try RegistryFileFixture.temporary(["alpha": [("i1", u1.address)]])
        let server = try await ServeProcess.start(registry: registry.path)
        defer { server.kill() }
        let port = server.port
        #expect(try await RawHTTP.get(port: port, "/", service: "alpha").header("X-Upstream") == "u1")

        func rejections() -> Int { server.standardError.components(separatedBy: "registry file rejected").count - 1 }
        let broken = [
            #"{"services": {"alpha": {"instances": [{"name": "i1", "address": "#,  // truncated JSON
            #"{"services": {"alpha": {"instances": [{"name": "i1", "address": "no-port"}]}}}"#,
            #"{"services": {"alpha": {"instances": [{"name": "i1", "address": "127.0.0.1:1"}, {"name": "i1", "address": "127.0.0.1:2"}]}}}"#,
        ]
        for (index, text) in broken.enumerated() {
            try registry.write(text: text)
            let noticed = await eventually(within: 10) { rejections() == index + 1 }
            #expect(noticed, "rejection \(index + 1) not logged; stderr: \(server.standardError)")
            let response = try await RawHTTP.get(port: port, "/", service: "alpha")
            #expect(response.status == 200 && response.header("X-Upstream") == "u1", "after \(text): \(response)")
        }
        // A deleted file too.
        try FileManager.default.removeItem(atPath: registry.path)
        #expect(await eventually(within: 10) { rejections() == broken.count + 1 }, "\(server.standardError)")
        #expect(try await RawHTTP.get(port: port, "/", service: "alpha").header("X-Upstream") == "u1")
        #expect(try await RawHTTP.request(port: port, "GET", "/healthz").status == 200)

        // The watcher is still alive: a good file is picked up.
        try registry.write(["alpha": [("i2", u2.address)]])
        let switched = try await eventually(within: 10) {
            try await RawHTTP.get(port: port, "/", service: "alpha").header("X-Upstream") == "u2"
        }
        #expect(switched, "stderr: \(server.standardError)")
        #expect(server.isRunning)
        await expectCleanStop(server)
    }

    @Test("a service whose balancer cannot be made on reload answers 503; removed again, it is unknown (404)")
    func failingPolicyOnReload() async throws {
        let u1 = try await EchoUpstream.start(name: "u1")
        defer { Task { await u1.stop() } }
        let registry = try RegistryFileFixture.temporary(["alpha": [("a1", u1.address)]])
        let server = try await ServeProcess.start(registry: registry.path)
        defer { server.kill() }
        let port = server.port
        func reloads() -> Int { server.standardError.components(separatedBy: "registry reloaded").count - 1 }

        try registry.write(["alpha": [("a1", u1.address)], "beta": [("b1", u1.address)]], balancers: ["beta": "bogus"])
        #expect(await eventually(within: 10) { reloads() == 1 }, "\(server.standardError)")
        #expect(server.standardError.contains("service beta: cannot create its routing policy: unknown balancer 'bogus'"))
        let failing = try await RawHTTP.get(port: port, "/", service: "beta")
        #expect(failing.status == 503, "\(failing)")
        #expect(failing.body.contains("service \"beta\""), "\(failing)")
        #expect(try await RawHTTP.get(port: port, "/", service: "alpha").status == 200)

        try registry.write(["alpha": [("a1", u1.address)]])
        #expect(await eventually(within: 10) { reloads() == 2 }, "\(server.standardError)")
        let removed = try await RawHTTP.get(port: port, "/", service: "beta")
        #expect(removed.status == 404, "\(removed)")
        await expectCleanStop(server)
    }

    @Test("an invalid registry at start: non-zero exit and one line naming the file",
          arguments: [
            ("not-json.json", #"{"services": "#, [String](), "invalid registry JSON"),
            ("no-services.json", #"{"servces": {}}"#, [], "services"),
            ("bad-address.json", #"{"services": {"a": {"instances": [{"name": "x", "address": "nohost"}]}}}"#, [],
             "invalid address \"nohost\""),
            ("duplicate.json", #"{"services": {"a": {"instances": [{"name": "x", "address": "127.0.0.1:1"}, {"name": "x", "address": "127.0.0.1:2"}]}}}"#,
             [], "duplicate instance name x"),
            ("bad-balancer.json", #"{"services": {"a": {"instances": [], "balancer": "bogus"}}}"#, [], "unknown balancer 'bogus'"),
            ("missing.json", nil, [], "cannot read"),
          ] as [(String, String?, [String], String)])
    func invalidRegistryAtStart(_ name: String, _ text: String?, _ extra: [String], _ fragment: String) async throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        let path = "\(dir)/\(name)"
        if let text { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        let result = try await runAIoTwin(["proxy", "serve", "--config", path, "--port", "0", "--threads", "1"] + extra, timeout: 20)
        let r = try #require(result, "aiotwin proxy serve kept running on \(name)")
        #expect(r.status != 0)
        #expect(!r.stdout.contains("listening"))
        #expect(lines(r.stderr).count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(path), "the file is not named: \(r.stderr)")
        #expect(r.stderr.contains(fragment), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test("an unknown --balancer fails at start, listing the balancers")
    func unknownBalancerOption() async throws {
        let registry = try RegistryFileFixture.temporary(["alpha": [("a1", "127.0.0.1:1")]])
        let result = try await runAIoTwin(["proxy", "serve", "--config", registry.path, "--port", "0", "--balancer", "bogus"],
                                          timeout: 20)
        let r = try #require(result, "aiotwin proxy serve kept running")
        #expect(r.status != 0)
        #expect(r.stderr.contains("unknown balancer 'bogus'"), "\(r.stderr)")
        for name in ["nodeport", "slo_aware", "peak_ewma_p2c"] { #expect(r.stderr.contains(name), "\(r.stderr)") }
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test("malformed HTTP through the binary → 400, and the proxy keeps serving")
    func malformed() async throws {
        let upstream = try await EchoUpstream.start(name: "u1")
        defer { Task { await upstream.stop() } }
        let registry = try RegistryFileFixture.temporary(["alpha": [("a1", upstream.address)]])
        let server = try await ServeProcess.start(registry: registry.path)
        defer { server.kill() }
        let port = server.port

        let inputs: [[UInt8]] = [
            Array("GARBAGE\r\n\r\n".utf8),
            Array("GET /\r\n\r\n".utf8),
            Array("GET / HTTP/1.1\r\nX-Service: alpha\r\nContent-Length: twelve\r\n\r\n".utf8),
            [0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, 0x0d, 0x0a, 0x0d, 0x0a],  // a TLS hello
        ]
        for input in inputs {
            let text = try await RawHTTP.exchange(port: port, input)
            let response = try #require(RawResponse(text), "no response to \(input): \(text.debugDescription)")
            #expect(response.status == 400, "\(response)")
            #expect(response.body.contains("malformed HTTP request"), "\(response)")
            #expect(upstream.requests == 0)
        }
        #expect(server.isRunning)
        #expect(try await RawHTTP.request(port: port, "GET", "/healthz").status == 200)
        #expect(try await RawHTTP.get(port: port, "/", service: "alpha").header("X-Upstream") == "u1")
        await expectCleanStop(server)
    }

    @Test("SIGINT and SIGTERM end the proxy promptly with status 0, even with a client connection open",
          arguments: [SIGINT, SIGTERM])
    func signals(_ signal: Int32) async throws {
        let upstream = try await EchoUpstream.start(name: "u1")
        defer { Task { await upstream.stop() } }
        let registry = try RegistryFileFixture.temporary(["alpha": [("a1", upstream.address)]])
        let server = try await ServeProcess.start(registry: registry.path)
        defer { server.kill() }
        // An idle keep-alive client connection (and a pooled upstream connection) stay open.
        let pending = Task {
            try await RawHTTP.exchangeUntilClose(port: server.port, Array("GET / HTTP/1.1\r\nX-Service: alpha\r\n\r\n".utf8),
                                                 timeout: 30)
        }
        #expect(await eventually(within: 10) { upstream.requests == 1 })
        let ending = await server.stop(signal: signal)
        #expect(ending.isCleanExit, "\(ending); stderr: \(server.standardError)")
        #expect(ending.seconds < 5, "\(ending.seconds) s from the signal to the exit")
        #expect(server.standardError.contains("shutting down"))
        #expect(!server.standardError.contains("ERROR"), "\(server.standardError)")
        // The keep-alive client got its response, then the proxy (not the client's watchdog) closed it.
        let (received, closedByPeer) = try await pending.value
        #expect(RawResponse(received)?.status == 200, "\(received)")
        #expect(closedByPeer)
    }
}
