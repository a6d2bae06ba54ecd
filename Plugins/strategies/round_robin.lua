-- Assigns clients to local aggregators in turn (natural id order), with fixed epochs and local
-- rounds: the simplest hierarchical configuration, a baseline for smarter strategies.
return {
  kind = "strategy", name = "round_robin", version = "1.0",
  description = "clients to local aggregators in turn; fixed epochs and local rounds",
  params = { epochs = 2, local_rounds = 2 },

  -- ctx.clients: list of client ids; ctx.aggregators: list of local aggregator ids.
  -- Returns { clusters = { [la] = {client, ...} }, epochs = E, local_rounds = L }.
  configure = function(ctx, p)
    assert(#ctx.aggregators > 0, "round_robin needs at least one local aggregator")
    local clusters = {}
    for _, la in ipairs(ctx.aggregators) do clusters[la] = {} end
    for i, client in ipairs(ctx.clients) do
      local la = ctx.aggregators[(i - 1) % #ctx.aggregators + 1]
      table.insert(clusters[la], client)
    end
    return { clusters = clusters, epochs = p.epochs, local_rounds = p.local_rounds }
  end,
}
