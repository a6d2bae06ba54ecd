-- D1.3 Table 3 on Fashion-MNIST: 10 clients, flat or 2 local aggregators × 5 clients, with
-- non-IID clusters (each aggregator's clients hold half of the classes) or IID clusters (each
-- aggregator's clients hold all of them), and the Ep/LA combinations with Ep·LA = 10.
-- Each client holds 2 classes, `per_class` samples of each (given in the anchor's
-- "class:samples" topology format).
--   aiotwin run scripts/fl_hierarchy.lua [--set rounds=10 --set per_class=600]
local pilot = require("pilot")
local s = pilot.settings(aiotwin.params, { rounds = 10 })
local data = pilot.data(s)
local per = s.per_class or 600
local pairs_of = {
  No = { { 0, 1 }, { 2, 3 }, { 4, 0 }, { 1, 2 }, { 3, 4 }, { 5, 6 }, { 7, 8 }, { 9, 5 }, { 6, 7 }, { 8, 9 } },
  Yes = { { 0, 1 }, { 2, 3 }, { 4, 5 }, { 6, 7 }, { 8, 9 }, { 0, 1 }, { 2, 3 }, { 4, 5 }, { 6, 7 }, { 8, 9 } },
}
local function topology(iid, hierarchical, epochs, local_rounds)
  local t = aiotwin.fl.topology{ clients = 10, aggregators = hierarchical and 2 or 0, rounds = s.rounds,
                                 epochs = epochs, local_rounds = local_rounds }
  for i, c in ipairs(t.clients) do
    local p = pairs_of[iid][i]
    c.data = ("%d:%d,%d:%d"):format(p[1], per, p[2], per)
  end
  return t
end
local files = {}
for _, row in ipairs({ { "No", false, 10, 1 }, { "No", true, 10, 1 }, { "No", true, 5, 2 }, { "No", true, 2, 5 },
                       { "Yes", false, 10, 1 }, { "Yes", true, 5, 2 }, { "Yes", true, 2, 5 } }) do
  local iid, hier, e, l = row[1], row[2], row[3], row[4]
  local key = ("%s/%s/%d/%s"):format(iid, hier and "Yes" or "No", e, hier and tostring(l) or "-")
  local name = ("table3-iid-%s-%s-e%d-l%d"):format(iid:lower(), hier and "hier" or "flat", e, l)
  local r, file = pilot.run(name, s, data, topology(iid, hier, e, l))
  files[#files + 1] = file
  print(("IID cluster %-3s hierarchical %-3s Ep %2d LA %s: %.2f%% (published, CIFAR-10: %.2f%%)"):format(
    iid, hier and "Yes" or "No", e, hier and tostring(l) or "-", 100 * r.accuracy, pilot.published.table3[key]))
  aiotwin.log("table3", { iid_cluster = iid, hierarchical = hier, epochs = e, local_rounds = l, accuracy = r.accuracy,
                          published = pilot.published.table3[key] / 100 })
end
print(aiotwin.runs.compare{ files = files, format = "table", plot = "table3.svg",
                            title = "Flat vs hierarchical, IID and non-IID clusters (Fashion-MNIST)" })
