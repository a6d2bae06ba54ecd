-- Uniform choice within the QoS pool: QEdgeProxy's balancing rule without its fallbacks.
return {
  kind = "balancer", name = "random_in_pool", version = "1.0",
  description = "uniformly random instance of the QoS pool",
  params = {},
  -- The pool fields pick reads besides name (none: the proxy skips refreshing the others).
  reads = {},

  -- Called per request with the pool (a list of instances) and a seeded random generator.
  pick = function(pool, rng)
    return pool[rng:int(1, #pool)]
  end,
}
