-- Writing and using a configuration strategy plugin: Plugins/strategies/round_robin.lua assigns
-- clients to local aggregators. Try your own with --plugins DIR (see docs/lua-api.md).
--   aiotwin run scripts/strategy_demo.lua [--set strategy=round_robin --set clients=10]
local p = aiotwin.params
local strategy = aiotwin.plugin(p.strategy or "round_robin", { epochs = p.epochs or 2 })
local ctx = { clients = {}, aggregators = { "la1", "la2", "la3" } }
for i = 1, (p.clients or 10) do ctx.clients[i] = "n" .. i end
local cfg = strategy.configure(ctx, strategy.params)
for _, la in ipairs(ctx.aggregators) do
  print(la .. ": " .. table.concat(cfg.clusters[la], ", "))
  aiotwin.log("clusters", { aggregator = la, clients = #cfg.clusters[la] })
end
print(("%s %s: %d epochs, %d local rounds"):format(strategy.name, strategy.version, cfg.epochs, cfg.local_rounds))
