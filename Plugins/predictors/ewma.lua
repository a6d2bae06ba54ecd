-- Exponentially weighted moving average of response times, as the public QEdgeProxy predicts an
-- instance's latency: estimate = alpha * sample + (1 - alpha) * estimate.
return {
  kind = "predictor", name = "ewma", version = "1.0",
  description = "EWMA of measured latencies (QEdgeProxy)",
  params = { alpha = 0.3 },

  -- Called per forwarded request with the previous estimate (nil at first) and the measurement.
  update = function(estimate, sample, p)
    if estimate == nil then return sample end
    return p.alpha * sample + (1 - p.alpha) * estimate
  end,
}
