-- How partition schemes spread Fashion-MNIST's classes over 20 clients (the seed's Table 1 set-ups):
-- per-client class counts, printed and plotted as grouped bars for the first clients.
--   aiotwin run scripts/partitions.lua [--set clients=20 --set data=synthetic]
local p = aiotwin.params
local data = aiotwin.data.load(p.data or "fashion-mnist", { train_limit = p.train_limit })
local clients = p.clients or 20
for _, scheme in ipairs({ "iid", "labels:2", "labels:1", "dirichlet:0.5" }) do
  local part = aiotwin.data.partition(data.train, { scheme = scheme, clients = clients })
  local h = part:histograms()
  local classes_per_client, sizes = 0, part:sizes()
  for c = 1, clients do
    for _, n in ipairs(h[c]) do if n > 0 then classes_per_client = classes_per_client + 1 end end
  end
  print(("%-14s mean classes per client %.1f, sizes %d..%d"):format(scheme, classes_per_client / clients,
        math.min(table.unpack(sizes)), math.max(table.unpack(sizes))))
  aiotwin.log("schemes", { scheme = scheme, mean_classes = classes_per_client / clients })
  local shown, series = math.min(clients, 6), {}
  for c = 1, shown do series[c] = { name = "client " .. c, values = h[c] } end
  local categories = {}
  for k = 1, data.train:classes() do categories[k] = data.train:class_names()[k] end
  aiotwin.plot.bar{ file = "partition-" .. scheme:gsub("[:.]", "_") .. ".svg", categories = categories, series = series,
                    title = "Samples per class, " .. scheme .. " (first " .. shown .. " clients)", y_label = "samples" }
end
