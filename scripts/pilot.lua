-- Shared pieces of the seed's pilot experiments (D1.3 §3.3.1), run on Fashion-MNIST.
-- Used by scripts/fl_*.lua and notebooks-md/fl-pilot.md through require("pilot").
local M = {}

-- Published accuracies (%, CIFAR-10, 500 client epochs) from ../shared/specs/federated-learning.md §7.
M.published = {
  table1 = { [1] = 22.71, [2] = 47.92, [10] = 69.39 },
  table2 = { ["10/10"] = 57.54, ["10/15"] = 54.84, ["10/30"] = 48.98, ["10/60"] = 48.88, ["20/20"] = 47.92 },
  table3 = { ["No/No/10/-"] = 22.73, ["No/Yes/10/1"] = 22.59, ["No/Yes/5/2"] = 24.33, ["No/Yes/2/5"] = 22.91,
             ["Yes/No/10/-"] = 22.71, ["Yes/Yes/5/2"] = 22.73, ["Yes/Yes/2/5"] = 21.37 },
}

-- Experiment settings from --set parameters, with defaults sized for a 2-core machine.
function M.settings(p, defaults)
  local s = { rounds = 20, epochs = 1, lr = 0.01, batch = 32, data = "fashion-mnist" }
  for k, v in pairs(defaults or {}) do s[k] = v end
  for k, v in pairs(p) do s[k] = v end
  return s
end

function M.data(s)
  return aiotwin.data.load(s.data, { train_limit = s.train_limit, test_limit = s.test_limit })
end

-- Runs one federated configuration into its own run file; returns the outcome and the file.
function M.run(name, s, data, topology, partition, extra)
  local run = aiotwin.runs.create{ name = name, config = { rounds = s.rounds, epochs = s.epochs, lr = s.lr,
                                                           batch_size = s.batch, seed = aiotwin.seed } }
  local options = { data = data, model = aiotwin.model.cnn{ data = data.train }, topology = topology,
                    partition = partition, lr = s.lr, batch_size = s.batch, run = run, progress = false }
  for k, v in pairs(extra or {}) do options[k] = v end
  local outcome = aiotwin.fl.run(options)
  run:finish()
  return outcome, run:path()
end

return M
