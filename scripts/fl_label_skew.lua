-- D1.3 Table 1 on Fashion-MNIST: 20 clients, flat FedAvg, 1, 2 and 10 labels per client.
--   aiotwin run scripts/fl_label_skew.lua [--set rounds=20 --set epochs=1 --set train_limit=N]
local pilot = require("pilot")
local s = pilot.settings(aiotwin.params)
local data = pilot.data(s)
local files = {}
for _, k in ipairs({ 10, 2, 1 }) do
  -- The anchor's partitions: k = 1 its flat_fair, k = 2 the fixed adjacent pairs {0,1}, {2,3}, …
  local scheme = k == 10 and "iid" or ("labels:" .. k .. ":adjacent")
  local topology = aiotwin.fl.topology{ clients = 20, rounds = s.rounds, epochs = s.epochs }
  local r, file = pilot.run("table1-labels-" .. k, s, data, topology, scheme)
  files[#files + 1] = file
  print(("%2d labels per client: %.2f%% after %d rounds (published, CIFAR-10: %.2f%%)"):format(
    k, 100 * r.accuracy, r.rounds, pilot.published.table1[k]))
  aiotwin.log("table1", { labels = k, accuracy = r.accuracy, published = pilot.published.table1[k] / 100 })
end
print(aiotwin.runs.compare{ files = files, format = "table", plot = "table1.svg",
                            title = "Label skew, 20 clients, FedAvg (Fashion-MNIST)" })
