-- Learning-rate sweep: one run file per rate, then a comparison table and plot.
--   aiotwin run scripts/lr_sweep.lua [--set epochs=2 --set data=synthetic --set train_limit=5000]
local p = aiotwin.params
local data = aiotwin.data.load(p.data or "fashion-mnist", { train_limit = p.train_limit, test_limit = p.test_limit })
local epochs = p.epochs or 2
local files = {}
for _, lr in ipairs({ 0.005, 0.02, 0.08 }) do
  local run = aiotwin.runs.create{ name = "sweep-lr-" .. lr, config = { lr = lr, epochs = epochs } }
  local model = aiotwin.model.cnn{ data = data.train }          -- same initial weights (aiotwin.seed)
  for epoch = 1, epochs do
    local fit = model:train(data.train, { epochs = 1, lr = lr, momentum = 0.9, seed = aiotwin.seed + epoch })
    local test = model:evaluate(data.test)
    run:log("global", { round = epoch, time_s = run:elapsed(), accuracy = test.accuracy, loss = test.loss, train_loss = fit.loss })
  end
  run:finish()
  files[#files + 1] = run:path()
  aiotwin.log("sweep", { lr = lr, accuracy = aiotwin.runs.read(run:path()).tables.global.accuracy[epochs] })
end
print(aiotwin.runs.compare{ files = files, metric = "accuracy", format = "table", plot = "lr_sweep.svg",
                            title = "Test accuracy by epoch and learning rate" })
