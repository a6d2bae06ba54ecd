import Learning
import Scripting

// Swift objects that Lua holds as opaque handles. Big arrays (pixels, weights, index lists) stay
// in Swift; Lua sees methods and small tables.

/// A data set (`Dataset` in Lua).
final class DatasetHandle {
    let dataset: ImageDataset
    init(_ dataset: ImageDataset) { self.dataset = dataset }
}

/// A model with its weights (`Model` in Lua). Mutable: training updates it in place.
final class ModelHandle {
    var model: Model
    init(_ model: Model) { self.model = model }
}

/// A partition of a data set among clients (`Partition` in Lua).
final class PartitionHandle {
    let partition: Partition
    let dataset: ImageDataset
    init(_ partition: Partition, of dataset: ImageDataset) { self.partition = partition; self.dataset = dataset }
}

/// A list of sample indices (`Indices` in Lua), e.g. one client's share.
final class IndicesHandle {
    let indices: [Int]
    init(_ indices: [Int]) { self.indices = indices }
}

/// The handle types of one Lua state.
struct HandleTypes {
    var dataset: LuaHandleType
    var model: LuaHandleType
    var partition: LuaHandleType
    var indices: LuaHandleType
    var run: LuaHandleType
    var random: LuaHandleType
}
