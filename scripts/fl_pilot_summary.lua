-- Bars of the pilot experiments' final accuracies (Fashion-MNIST, this project) beside the
-- published CIFAR-10 numbers, from the summary runs that fl_label_skew, fl_data_splits and
-- fl_hierarchy log into (`table1`, `table2`, `table3` tables of their runs).
--   aiotwin run scripts/fl_pilot_summary.lua --set dir=notebooks-md/fl-pilot.files
local dir = aiotwin.params.dir or aiotwin.out_dir
local function bars(file, table_name, label, title, out)
  local run = aiotwin.runs.read(dir .. "/" .. file)
  local t = run.tables[table_name]
  local names, ours, published = {}, {}, {}
  for i = 1, #t.accuracy do
    names[i] = label(t, i)
    ours[i] = 100 * t.accuracy[i]
    published[i] = 100 * t.published[i]
  end
  aiotwin.plot.bar{ file = out, title = title, categories = names, y_label = "test accuracy", y_unit = "%",
                    series = { { name = "Fashion-MNIST, this project", values = ours },
                               { name = "CIFAR-10, D1.3 (published)", values = published } } }
end
local function int(x) return ("%d"):format(math.floor(x + 0.5)) end
bars("table1.h5", "table1", function(t, i) return int(t.labels[i]) .. " labels/client" end,
     "Table 1: labels per client", "table1-vs-published.svg")
bars("table2.h5", "table2", function(t, i) return int(t.clients[i]) .. " clients / " .. int(t.splits[i]) .. " splits" end,
     "Table 2: clients and data splits", "table2-vs-published.svg")
bars("table3.h5", "table3", function(t, i)
  return (t.iid_cluster[i] == "Yes" and "IID" or "non-IID") .. (t.hierarchical[i] == 1 and (" E" .. int(t.epochs[i]) .. " L" .. int(t.local_rounds[i])) or (" flat E" .. int(t.epochs[i])))
end, "Table 3: flat vs hierarchical", "table3-vs-published.svg")
print("wrote three bar plots to " .. dir)
