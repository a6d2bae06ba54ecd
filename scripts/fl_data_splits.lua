-- D1.3 Table 2 on Fashion-MNIST: 2 labels per client, flat; N clients each holding one of W
-- equal parts of the data (the anchor's train_splits: parts beyond the N-th go unused).
--   aiotwin run scripts/fl_data_splits.lua [--set rounds=20 --set epochs=1]
local pilot = require("pilot")
local s = pilot.settings(aiotwin.params)
local data = pilot.data(s)
local files = {}
for _, c in ipairs({ { 10, 10 }, { 10, 15 }, { 10, 30 }, { 10, 60 }, { 20, 20 } }) do
  local n, w = c[1], c[2]
  local parts = aiotwin.data.partition(data.train, { scheme = "labels:2:adjacent", clients = w })
  local shares = {}
  for i = 1, n do shares[i] = parts:client(i) end
  local topology = aiotwin.fl.topology{ clients = n, rounds = s.rounds, epochs = s.epochs }
  local key = n .. "/" .. w
  local r, file = pilot.run(("table2-%d-of-%d"):format(n, w), s, data, topology, shares)
  files[#files + 1] = file
  print(("%2d clients, %2d splits: %.2f%% (published, CIFAR-10: %.2f%%)"):format(n, w, 100 * r.accuracy, pilot.published.table2[key]))
  aiotwin.log("table2", { clients = n, splits = w, accuracy = r.accuracy, published = pilot.published.table2[key] / 100 })
end
print(aiotwin.runs.compare{ files = files, format = "table", plot = "table2.svg",
                            title = "Data splits, 2 labels per client (Fashion-MNIST)" })
