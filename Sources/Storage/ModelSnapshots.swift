import Foundation
import Learning

extension RunFile {
    /// Writes `model` as snapshot `name`: one float32 dataset per parameter with PyTorch's
    /// state_dict name and layout, plus the model spec (JSON) needed to rebuild it and any extra
    /// attributes (the round, for example).
    public func writeSnapshot(name: String, model: Model, attributes: [String: AttributeValue] = [:]) throws {
        var attrs = attributes
        let spec = try JSONEncoder().encode(model.spec)
        attrs["model_spec"] = .string(String(decoding: spec, as: UTF8.self))
        attrs["parameter_count"] = .int64(Int64(model.parameterCount))
        try writeSnapshot(name: name,
                          tensors: model.stateDict().map { SnapshotTensor(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.values) },
                          attributes: attrs)
    }

    /// Rebuilds the model stored as snapshot `name` from its spec and tensors.
    public func readModel(snapshot name: String) throws -> Model {
        let snapshot = try readSnapshot(name: name)
        guard let json = snapshot.attributes["model_spec"]?.stringValue else {
            throw RunFileError(kind: .malformed, path: path, message: "snapshot '\(name)' has no model_spec attribute")
        }
        let spec: ModelSpec
        do { spec = try JSONDecoder().decode(ModelSpec.self, from: Data(json.utf8)) } catch {
            throw RunFileError(kind: .malformed, path: path, message: "snapshot '\(name)': unreadable model_spec (\(error))")
        }
        var model = try Model(spec: spec, seed: 0)
        var tensors: [String: Tensor] = [:]
        for t in snapshot.tensors { tensors[t.name] = try Tensor(shape: t.shape, values: t.values) }
        try model.load(stateDict: tensors)
        return model
    }
}
