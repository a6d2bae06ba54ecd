import Foundation
import Testing
@testable import Routing

@Suite("Emulation: time scale, arrivals and the plan")
struct EmulationPlanTests {
    @Test("a speedup must be a finite number > 0; scaling divides scenario time by it")
    func timeScale() throws {
        for bad in [0.0, -1, .nan, .infinity, -.infinity] { #expect(TimeScale(speedup: bad) == nil) }
        let scale = try #require(TimeScale(speedup: 20))
        #expect(scale.wallSeconds(forScenario: 2000) == 100)
        #expect(scale.scenarioSeconds(forWall: 100) == 2000)
        #expect(abs(scale.scenarioSeconds(forWall: scale.wallSeconds(forScenario: 1.2345)) - 1.2345) < 1e-12)
        #expect(TimeScale.realTime.wallSeconds(forScenario: 3) == 3)
        #expect(throws: EmulationError.self) { try EmulationSettings(speedup: 0) }
        #expect(throws: EmulationError.self) { try EmulationSettings(speedup: 20, requests: 0) }
        #expect(try EmulationSettings(speedup: 5, requests: 10).timeScale.speedup == 5)
    }

    @Test("pings wait their modeled duration on the scenario clock and report it plus the real overhead")
    func pingTiming() throws {
        let k20 = try #require(TimeScale(speedup: 20))
        #expect(abs(PingTiming.wallDelayMs(modelMs: 80.5, scale: k20) - 4.025) < 1e-12)
        #expect(PingTiming.wallDelayMs(modelMs: 80.5, scale: .realTime) == 80.5)
        // 4.025 ms waited + 0.4 ms of loopback overhead → 80.5 + 0.4, floored.
        #expect(PingTiming.reportedMs(modelMs: 80.5, elapsedWallMs: 4.425, scale: k20) == 80)
        #expect(PingTiming.reportedMs(modelMs: 79.9, elapsedWallMs: 4.425, scale: k20) == 80)
        #expect(PingTiming.reportedMs(modelMs: 20.5, elapsedWallMs: 0.5, scale: k20) == 20)  // early timer: no negative overhead
        #expect(PingTiming.reportedMs(modelMs: 40.5, elapsedWallMs: 45.2, scale: .realTime) == 45)
    }

    @Test("late sends mark a disturbed run")
    func lateness() {
        let calm = EmulationResult.Lateness(samples: Array(repeating: 0.1, count: 1000) + [3])
        #expect(calm.maxMs == 3 && calm.p99Ms == 0.1 && !calm.isDisturbed)
        #expect(abs(calm.meanMs - (100 + 3) / 1001) < 1e-12)
        #expect(EmulationResult.Lateness(samples: Array(repeating: 0.1, count: 1000) + [120]).isDisturbed)
        #expect(EmulationResult.Lateness(samples: Array(repeating: 6, count: 100)).isDisturbed)
        #expect(!EmulationResult.Lateness(samples: []).isDisturbed)
    }

    @Test("arrivals are the simulator's for the same seed, and depend on the seed")
    func arrivalsMatchTheSimulator() throws {
        let scenario = Fixtures.deliverable
        for seed: UInt64 in [0, 7] {
            let simulated = try Simulator(scenario: scenario, scenarioCase: Fixtures.dynamicCase, algorithm: "nodeport", seed: seed).run()
            let schedule = ArrivalSchedule(seed: seed, workload: scenario.workload, requests: 3750)
            #expect(schedule.times == simulated.records.map(\.time))
        }
        let a = ArrivalSchedule(seed: 0, ratePerS: 2, count: 100), b = ArrivalSchedule(seed: 1, ratePerS: 2, count: 100)
        #expect(a == ArrivalSchedule(seed: 0, ratePerS: 2, count: 100))
        #expect(a != b)
        #expect(zip(a.times, a.times.dropFirst()).allSatisfy { $0 < $1 })
        // Mean inter-arrival ≈ 1/rate.
        let long = ArrivalSchedule(seed: 3, ratePerS: 2, count: 20_000)
        #expect(abs(long.times.last! / 20_000 - 0.5) < 0.02)
    }

    @Test("events map to cluster actions with the simulator's delays")
    func eventActions() {
        #expect(ClusterAction.actions(for: .instanceAdd(instance: "s3", readyDelayS: 2)).map(\.delayS) == [0, 2])
        #expect(ClusterAction.actions(for: .instanceAdd(instance: "s3", readyDelayS: 2)).map(\.action)
                == [.deploy(instance: "s3"), .show(instance: "s3")])
        #expect(ClusterAction.actions(for: .instanceRemove(instance: "s3", mode: .delete, watchDelayS: 1)).map(\.action)
                == [.stop(instance: "s3"), .hide(instance: "s3")])
        #expect(ClusterAction.actions(for: .instanceFail(instance: "s3", mode: .connectionRefused)).map(\.action) == [.stop(instance: "s3")])
        #expect(ClusterAction.actions(for: .nodeRttAdd(node: "worker1", addMs: 100)).map(\.action) == [.addRTT(node: "worker1", ms: 100)])
        #expect(ClusterAction.actions(for: .serviceTimeAdd(instance: "s3", addMs: 100)).map(\.action)
                == [.addServiceTime(instance: "s3", ms: 100)])
    }

    @Test("the dynamic plan: every request once, phase events just before the phase's first request")
    func dynamicPlan() throws {
        let scenario = Fixtures.deliverable
        let plan = try EmulationPlan(scenario: scenario, scenarioCase: Fixtures.dynamicCase, seed: 0)
        #expect(plan.requestCount == 3750)
        #expect(plan.initialInstances == ["s1", "s2", "s4", "s5", "s6", "s7"])
        let requests = plan.steps.compactMap { step -> Int? in if case .request(let k) = step.action { return k } else { return nil } }
        #expect(requests == Array(0..<3750))
        #expect(zip(plan.steps, plan.steps.dropFirst()).allSatisfy { $0.time <= $1.time })
        // Each phase's events sit right before its first request, at that request's arrival time.
        for (p, phase) in plan.phases.enumerated() where !phase.events.isEmpty {
            let first = try #require(plan.steps.firstIndex { $0.action == .request(index: phase.startRequest) })
            let events = plan.steps[..<first].suffix(phase.events.count * 2).filter {
                if case .request = $0.action { return false } else { return true }
            }
            #expect(!events.isEmpty)
            #expect(events.allSatisfy { $0.time == plan.arrivals[phase.startRequest] && $0.phase == p })
        }
        #expect(plan.steps.contains { $0.action == .deploy(instance: "s3") })
        #expect(plan.steps.contains { $0.action == .addRTT(node: "worker1", ms: 100) })
        // Phase indices follow the requests.
        for step in plan.steps {
            if case .request(let k) = step.action {
                #expect(step.phase == scenario.scenarios["dynamic"]!.phaseIndex(ofRequest: k))
            }
        }
        // Variants replace events.
        let calibrated = try EmulationPlan(scenario: scenario, scenarioCase: Fixtures.calibratedCase, seed: 0)
        #expect(calibrated.steps.contains { $0.action == .addRTT(node: "worker4", ms: 100) })
        #expect(!calibrated.steps.contains { $0.action == .addRTT(node: "worker1", ms: 100) })
    }

    @Test("ready and watch delays put show and hide later; a limit drops later phases")
    func delaysAndLimits() throws {
        var scenario = Fixtures.deliverable
        var dynamic = try #require(scenario.scenarios["dynamic"])
        dynamic.phases[1].events = [.instanceAdd(instance: "s3", readyDelayS: 5)]
        scenario.scenarios["dynamic"] = dynamic
        let plan = try EmulationPlan(scenario: scenario, scenarioCase: Fixtures.dynamicCase, seed: 0)
        let deploy = try #require(plan.steps.first { $0.action == .deploy(instance: "s3") })
        let show = try #require(plan.steps.first { $0.action == .show(instance: "s3") })
        #expect(abs(show.time - deploy.time - 5) < 1e-9)
        #expect(deploy.time == plan.arrivals[750])

        let limited = try EmulationPlan(scenario: Fixtures.deliverable, scenarioCase: Fixtures.dynamicCase, seed: 0, requests: 800)
        #expect(limited.requestCount == 800)
        #expect(limited.phases.map(\.id) == ["T0", "T1"])
        #expect(!limited.steps.contains { $0.action == .addServiceTime(instance: "s3", ms: 100) })
        #expect(throws: ScenarioError.self) {
            try EmulationPlan(scenario: Fixtures.deliverable, scenarioCase: ScenarioCase(scenario: "nope"), seed: 0)
        }
    }

    @Test("a limited scenario simulates exactly the start of the full run")
    func limitedScenario() throws {
        let full = try Simulator(scenario: Fixtures.deliverable, scenarioCase: Fixtures.dynamicCase, algorithm: "slo_aware", seed: 3).run()
        let scenario = try Fixtures.deliverable.limited(scenario: "dynamic", requests: 800)
        #expect(scenario.scenarios["dynamic"]?.requests == 800)
        #expect(scenario.scenarios["dynamic"]?.phases.map(\.id) == ["T0", "T1"])
        #expect(scenario.scenarios["static"]?.requests == 4000)
        let part = try Simulator(scenario: scenario, scenarioCase: Fixtures.dynamicCase, algorithm: "slo_aware", seed: 3).run()
        #expect(part.records == Array(full.records.prefix(800)))
        #expect(try Fixtures.deliverable.limited(scenario: "static", requests: 10_000).scenarios["static"]?.requests == 4000)
        #expect(throws: ScenarioError.self) { try Fixtures.deliverable.limited(scenario: "nope", requests: 5) }
    }
}
