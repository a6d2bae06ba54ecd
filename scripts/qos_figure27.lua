-- The deliverable's Figure 27 (QEdgeProxy evaluation) reproduced by simulation, beside the
-- published numbers, plus aiotwin's SLO-aware balancer and a Lua balancer plugin.
--   aiotwin run scripts/qos_figure27.lua [--set seeds=20 --set scenario=datasets/scenarios/deliverable.yaml]
local p = aiotwin.params
local scenario = p.scenario or "datasets/scenarios/deliverable.yaml"
local published = aiotwin.proxy.published(scenario)
local seeds = p.seeds or 20
local cases = { { "static", nil }, { "dynamic", nil }, { "dynamic", "calibrated" } }
local algorithms = { "nodeport", "proxymity_alpha_0_8", "proxymity_alpha_1_0", "qedgeproxy", "slo_aware", "random_in_pool" }

local lines = { "| balancer | case | mean ms (published) | success % (published) | p99 ms |", "| --- | --- | ---: | ---: | ---: |" }
local success = {}
for _, a in ipairs(algorithms) do success[a] = {} end
for _, c in ipairs(cases) do
  local label = c[2] and (c[1] .. " (" .. c[2] .. ")") or c[1]
  for _, a in ipairs(algorithms) do
    local r = aiotwin.proxy.simulate{ scenario = scenario, balancer = a, case = c[1], variant = c[2], seeds = seeds }
    local pub = (published[c[1]] or {})[a]
    lines[#lines + 1] = ("| %s | %s | %.2f (%s) | %.2f (%s) | %.1f |"):format(a, label, r.mean_ms,
      pub and ("%.2f"):format(pub.mean_ms) or "–", 100 * r.success_rate, pub and ("%.2f"):format(100 * pub.success) or "–", r.p99_ms)
    success[a][#success[a] + 1] = 100 * r.success_rate
    aiotwin.log("figure27", { balancer = a, case = label, mean_ms = r.mean_ms, success = r.success_rate, p99_ms = r.p99_ms,
                              published_mean_ms = pub and pub.mean_ms or 0 / 0, published_success = pub and pub.success or 0 / 0 })
  end
end
print(table.concat(lines, "\n"))
local series = {}
for _, a in ipairs(algorithms) do series[#series + 1] = { name = a, values = success[a] } end
aiotwin.plot.bar{ file = "figure27-success.svg", title = "SLO success (< 80 ms), simulated, " .. seeds .. " seeds",
                  categories = { "static", "dynamic", "dynamic (calibrated)" }, series = series,
                  y_label = "success", y_unit = "%" }
