import Testing
@testable import Learning

/// Forward passes against direct, textbook implementations written here in the test (PyTorch
/// semantics and layouts: weights `[out, in, kh, kw]`, features flattened in (c, h, w) order).
@Suite("Layer forward passes")
struct LayerForwardTests {
    /// Direct convolution of one `[C, H, W]` input.
    func referenceConv(_ x: [Float], c: Int, h: Int, w: Int, weight: Tensor, bias: Tensor, stride: Int, padding: Int) -> [Float] {
        let out = weight.shape[0], k = weight.shape[2]
        let oh = (h + 2 * padding - k) / stride + 1, ow = (w + 2 * padding - k) / stride + 1
        var y = [Float](repeating: 0, count: out * oh * ow)
        for o in 0..<out {
            for i in 0..<oh {
                for j in 0..<ow {
                    var s = Double(bias.values[o])
                    for ci in 0..<c {
                        for a in 0..<k {
                            for b in 0..<k {
                                let yy = i * stride - padding + a, xx = j * stride - padding + b
                                guard yy >= 0, yy < h, xx >= 0, xx < w else { continue }
                                s += Double(weight.values[((o * c + ci) * k + a) * k + b]) * Double(x[(ci * h + yy) * w + xx])
                            }
                        }
                    }
                    y[(o * oh + i) * ow + j] = Float(s)
                }
            }
        }
        return y
    }

    @Test("conv2d with stride and padding, flattened, equals direct convolution", arguments: [(1, 0), (1, 2), (2, 1), (3, 0)])
    func conv(stride: Int, padding: Int) throws {
        let spec = ModelSpec(name: "conv", input: [3, 9, 7], layers: [.conv2d(4, kernel: 3, stride: stride, padding: padding), .flatten])
        let model = try Model(spec: spec, seed: 3)
        let data = try TestData.random(shape: [3, 9, 7], count: 5, classes: 1)
        let trainer = Trainer(architecture: model.architecture, threads: 2)
        let out = try trainer.outputs(of: model, data: data, indices: [0, 1, 2, 3, 4])
        let features = model.architecture.classCount
        for s in 0..<5 {
            let ref = referenceConv(TestData.input(data, s), c: 3, h: 9, w: 7,
                                    weight: model.tensor(named: "conv1.weight")!, bias: model.tensor(named: "conv1.bias")!,
                                    stride: stride, padding: padding)
            #expect(ref.count == features)
            for i in 0..<features { #expect(abs(out[s * features + i] - ref[i]) < 1e-4) }
        }
    }

    @Test("max pooling equals the window maxima, for 2x2/2 and 3x3/2")
    func maxPool() throws {
        for (k, s) in [(2, 2), (3, 2)] {
            let spec = ModelSpec(name: "pool", input: [2, 7, 8], layers: [.maxPool2d(k, stride: s), .flatten])
            let model = try Model(spec: spec, seed: 1)
            let data = try TestData.random(shape: [2, 7, 8], count: 3, classes: 1)
            let out = try Trainer(architecture: model.architecture).outputs(of: model, data: data, indices: [0, 1, 2])
            let oh = (7 - k) / s + 1, ow = (8 - k) / s + 1
            for n in 0..<3 {
                let x = TestData.input(data, n)
                for c in 0..<2 {
                    for i in 0..<oh {
                        for j in 0..<ow {
                            var m = -Float.infinity
                            for a in 0..<k { for b in 0..<k { m = max(m, x[(c * 7 + i * s + a) * 8 + j * s + b]) } }
                            #expect(out[n * 2 * oh * ow + (c * oh + i) * ow + j] == m)
                        }
                    }
                }
            }
        }
    }

    @Test("linear layer computes x·Wᵀ + b with W as [out, in]")
    func linear() throws {
        let spec = ModelSpec(name: "fc", input: [2, 3, 3], layers: [.flatten, .linear(5)])
        let model = try Model(spec: spec, seed: 4)
        let data = try TestData.random(shape: [2, 3, 3], count: 4, classes: 5)
        let out = try Trainer(architecture: model.architecture).outputs(of: model, data: data, indices: [0, 1, 2, 3])
        let w = model.tensor(named: "fc1.weight")!, b = model.tensor(named: "fc1.bias")!
        #expect(w.shape == [5, 18])
        for n in 0..<4 {
            let x = TestData.input(data, n)
            for o in 0..<5 {
                var s = Double(b.values[o])
                for i in 0..<18 { s += Double(w.values[o * 18 + i]) * Double(x[i]) }
                #expect(abs(Double(out[n * 5 + o]) - s) < 1e-4)
            }
        }
    }

    @Test("cross-entropy loss and accuracy match the softmax formula")
    func crossEntropy() throws {
        let spec = ModelSpec(name: "fc", input: [1, 4, 4], layers: [.flatten, .linear(6)])
        let model = try Model(spec: spec, seed: 8)
        let data = try TestData.random(shape: [1, 4, 4], count: 30, classes: 6)
        let trainer = Trainer(architecture: model.architecture, threads: 2)
        let out = try trainer.outputs(of: model, data: data, indices: Array(0..<30))
        var loss = 0.0, correct = 0
        for n in 0..<30 {
            let z = (0..<6).map { Double(out[n * 6 + $0]) }
            let m = z.max()!
            let lse = m + log(z.map { exp($0 - m) }.reduce(0, +))
            loss += lse - z[Int(data.labels[n])]
            if z.firstIndex(of: m)! == Int(data.labels[n]) { correct += 1 }
        }
        let e = try trainer.evaluate(model, data: data)
        #expect(abs(e.meanLoss - loss / 30) < 1e-5)
        #expect(e.accuracy == Double(correct) / 30)
    }

    @Test("ReLU zeroes exactly the negative inputs")
    func relu() throws {
        let spec = ModelSpec(name: "r", input: [1, 5, 5], layers: [.flatten, .relu])
        let model = try Model(spec: spec, seed: 1)
        let data = try TestData.random(shape: [1, 5, 5], count: 2, classes: 1)
        let out = try Trainer(architecture: model.architecture).outputs(of: model, data: data, indices: [0, 1])
        let x = TestData.input(data, 0) + TestData.input(data, 1)
        #expect(out == x.map { max($0, 0) })
    }
}

import Foundation
