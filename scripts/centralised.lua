-- Centralised training of the pilot CNN, one row per epoch in the run file's `global` table.
--   aiotwin run scripts/centralised.lua [--set epochs=3 --set lr=0.02 --set data=synthetic]
local p = aiotwin.params
local data = aiotwin.data.load(p.data or "fashion-mnist", { train_limit = p.train_limit, test_limit = p.test_limit })
local model = aiotwin.model.cnn{ data = data.train }
print(model:summary())

local epochs = p.epochs or 3
for epoch = 1, epochs do
  -- One epoch per call; the cosine schedule is applied by hand so each epoch can be logged.
  local lr = (p.lr or 0.02) * 0.5 * (1 + math.cos(math.pi * (epoch - 1) / epochs))
  local fit = model:train(data.train, { epochs = 1, batch_size = p.batch or 32, lr = lr, momentum = 0.9, seed = aiotwin.seed + epoch })
  local test = model:evaluate(data.test)
  aiotwin.log("global", { round = epoch, time_s = aiotwin.run:elapsed(), accuracy = test.accuracy, loss = test.loss,
                          train_loss = fit.loss, lr = lr })
  print(("epoch %d: train loss %.4f, test accuracy %.2f%%"):format(epoch, fit.loss, 100 * test.accuracy))
end
aiotwin.run:snapshot("final", model)
