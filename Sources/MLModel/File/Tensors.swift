import MLLearn

/// A named block of numbers that the model file stores as a contiguous buffer, apart from the
/// JSON: the estimator's weights, which can be large (a k-NN model holds its training rows).
public struct Tensor: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        case float([Double])
        case int([Int64])
    }
    public var name: String
    public var shape: [Int]
    public var values: Values
    /// Whether `quantize=` may store it in fewer bits: weights yes; intercepts, tree thresholds,
    /// class priors and variances no (a small change there moves every answer or divides by zero).
    public var quantizable: Bool
    /// For int8: the axis whose every slice gets its own scale (a feature's weights, a feature's
    /// training values), so that a feature measured in grams is not rounded away beside one in
    /// kilograms. Nil: one scale for the whole tensor (also where a slice would hold one number,
    /// and a scale each would store more than the weights).
    public var channelAxis: Int?

    public init(_ name: String, _ shape: [Int], _ values: [Double], quantizable: Bool = false, channelAxis: Int? = nil) {
        self.name = name
        self.shape = shape
        self.values = .float(values)
        self.quantizable = quantizable
        self.channelAxis = channelAxis
    }

    public init(_ name: String, _ shape: [Int], ints: [Int64]) {
        self.name = name
        self.shape = shape
        self.values = .int(ints)
        self.quantizable = false
    }

    public var count: Int {
        switch values {
        case .float(let v): return v.count
        case .int(let v): return v.count
        }
    }
}

/// Tensors by name, as read back from a file.
public struct TensorSet {
    var byName: [String: Tensor]

    init(_ tensors: [Tensor]) { byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }) }

    func floats(_ name: String, count: Int) throws -> [Double] {
        guard let t = byName[name], case .float(let v) = t.values else { throw ModelFileError.corrupt("the tensor '\(name)' is missing or not floating-point") }
        guard v.count == count else { throw ModelFileError.corrupt("the tensor '\(name)' holds \(v.count) values where the model needs \(count)") }
        return v
    }

    func ints(_ name: String, count: Int) throws -> [Int] {
        guard let t = byName[name], case .int(let v) = t.values else { throw ModelFileError.corrupt("the tensor '\(name)' is missing or not integer") }
        guard v.count == count else { throw ModelFileError.corrupt("the tensor '\(name)' holds \(v.count) values where the model needs \(count)") }
        return v.map { Int(truncatingIfNeeded: $0) }
    }

    func rows(_ name: String, _ r: Int, _ c: Int) throws -> [[Double]] {
        let flat = try floats(name, count: r * c)
        return (0..<r).map { Array(flat[($0 * c)..<($0 * c + c)]) }
    }
}

extension FittedEstimator {
    /// The estimator without its large arrays (written as JSON), and those arrays as tensors.
    /// Matrices are row-major: `weights` of a logistic model is classes × features.
    public func splitTensors() -> (skeleton: FittedEstimator, tensors: [Tensor]) {
        switch self {
        case .linear(var f):
            let t = [Tensor("coefficients", [f.coefficients.count], f.coefficients, quantizable: true), Tensor("intercept", [1], [f.intercept])]
            f.coefficients = []
            f.intercept = 0
            return (.linear(f), t)
        case .logistic(var f):
            let c = f.weights.count, n = f.weights.first?.count ?? 0
            let t = [Tensor("weights", [c, n], f.weights.flatMap { $0 }, quantizable: true, channelAxis: c > 1 ? 1 : nil), Tensor("intercepts", [c], f.intercepts)]
            f.weights = []
            f.intercepts = []
            return (.logistic(f), t)
        case .knn(var f):
            // The training rows feature by feature (the matrix is column-major in memory).
            let t = [Tensor("x", [f.x.cols, f.x.rows], f.x.data, quantizable: true, channelAxis: 0), Tensor("y", [f.y.count], f.y)]
            f.x = Matrix(rows: 0, cols: 0, data: [])
            f.y = []
            return (.knn(f), t)
        case .kmeans(var f):
            let k = f.centers.count, d = f.centers.first?.count ?? 0
            let t = [Tensor("centers", [k, d], f.centers.flatMap { $0 }, quantizable: true, channelAxis: k > 1 ? 1 : nil)]
            f.centers = []
            return (.kmeans(f), t)
        case .tree(var f):
            let n = f.nodes.count, v = f.nodes.first?.value.count ?? 0
            let t = [Tensor("feature", [n], ints: f.nodes.map { Int64($0.feature) }),
                     Tensor("threshold", [n], f.nodes.map(\.threshold)),
                     Tensor("left", [n], ints: f.nodes.map { Int64($0.left) }),
                     Tensor("right", [n], ints: f.nodes.map { Int64($0.right) }),
                     Tensor("value", [n, v], f.nodes.flatMap(\.value)),
                     Tensor("samples", [n], ints: f.nodes.map { Int64($0.samples) })]
            f.nodes = []
            return (.tree(f), t)
        case .forest(var f):
            let t = Self.treeTensors(f.trees)
            f.trees = f.trees.map { var e = $0; e.nodes = []; return e }
            return (.forest(f), t)
        case .boost(var f):
            let t = Self.treeTensors(f.trees)
            f.trees = f.trees.map { var e = $0; e.nodes = []; return e }
            return (.boost(f), t)
        case .bayes(var f):
            let c = f.means.count, d = f.means.first?.count ?? 0
            let t = [Tensor("priors", [c], f.priors), Tensor("means", [c, d], f.means.flatMap { $0 }, quantizable: true, channelAxis: 1),
                     Tensor("variances", [c, d], f.variances.flatMap { $0 })]
            f.priors = []
            f.means = []
            f.variances = []
            return (.bayes(f), t)
        case .mlp(var f):
            var t: [Tensor] = []
            for l in f.weights.indices {
                t.append(Tensor("weights.\(l)", [f.sizes[l], f.sizes[l + 1]], f.weights[l], quantizable: true, channelAxis: 0))
                t.append(Tensor("biases.\(l)", [f.sizes[l + 1]], f.biases[l]))
            }
            f.weights = []
            f.biases = []
            return (.mlp(f), t)
        }
    }

    /// The skeleton with its arrays put back; every size is checked against the skeleton's own.
    public func joined(with tensors: [Tensor], features: Int) throws -> FittedEstimator {
        let set = TensorSet(tensors)
        func shape(_ name: String) -> [Int] { set.byName[name]?.shape ?? [] }
        func dims(_ name: String, _ rank: Int) throws -> [Int] {
            let s = shape(name)
            guard s.count == rank, s.allSatisfy({ $0 >= 0 && $0 < 1 << 40 }) else { throw ModelFileError.corrupt("the tensor '\(name)' has the shape \(s), not one of rank \(rank)") }
            return s
        }
        switch self {
        case .linear(var f):
            f.coefficients = try set.floats("coefficients", count: features)
            f.intercept = try set.floats("intercept", count: 1)[0]
            return .linear(f)
        case .logistic(var f):
            let c = max(1, f.classes.count == 2 ? 1 : f.classes.count)
            f.weights = try set.rows("weights", c, features)
            f.intercepts = try set.floats("intercepts", count: c)
            return .logistic(f)
        case .knn(var f):
            let s = try dims("x", 2)
            guard s[0] == features else { throw ModelFileError.corrupt("the k-NN rows have \(s[0]) features where the model has \(features)") }
            f.x = Matrix(rows: s[1], cols: s[0], data: try set.floats("x", count: s[0] * s[1]))
            f.y = try set.floats("y", count: s[1])
            guard f.k >= 1, s[1] >= 1 else { throw ModelFileError.corrupt("the k-NN model holds no training rows") }
            return .knn(f)
        case .kmeans(var f):
            let s = try dims("centers", 2)
            guard s[1] == features, s[0] >= 1 else { throw ModelFileError.corrupt("the centres are \(s[0]) × \(s[1]) where the model has \(features) features") }
            f.centers = try set.rows("centers", s[0], s[1])
            return .kmeans(f)
        case .tree(var f):
            let n = try dims("feature", 1)[0], v = try dims("value", 2)[1]
            let feature = try set.ints("feature", count: n), threshold = try set.floats("threshold", count: n)
            let left = try set.ints("left", count: n), right = try set.ints("right", count: n)
            let value = try set.rows("value", n, v), samples = try set.ints("samples", count: n)
            guard n >= 1 else { throw ModelFileError.corrupt("the tree has no nodes") }
            // Every split must point forward to a node that exists, so that a prediction ends.
            for i in 0..<n where feature[i] >= 0 {
                guard feature[i] < features, left[i] > i, left[i] < n, right[i] > i, right[i] < n else {
                    throw ModelFileError.corrupt("the tree's node \(i) points outside the tree")
                }
            }
            f.nodes = (0..<n).map { TreeFit.Node(feature: feature[$0], threshold: threshold[$0], left: left[$0], right: right[$0], value: value[$0], samples: samples[$0]) }
            return .tree(f)
        case .forest(var f):
            f.trees = try Self.trees(set, dims, count: f.trees.count, features: features, template: f.trees)
            return .forest(f)
        case .boost(var f):
            f.trees = try Self.trees(set, dims, count: f.trees.count, features: features, template: f.trees)
            return .boost(f)
        case .bayes(var f):
            let c = f.classes.count
            f.priors = try set.floats("priors", count: c)
            f.means = try set.rows("means", c, features)
            f.variances = try set.rows("variances", c, features)
            return .bayes(f)
        case .mlp(var f):
            guard f.sizes.count >= 2, f.sizes.first == features, f.sizes.allSatisfy({ $0 >= 1 && $0 < 1 << 20 }) else {
                throw ModelFileError.corrupt("the network's layer sizes \(f.sizes) do not fit \(features) features")
            }
            f.weights = try (0..<(f.sizes.count - 1)).map { try set.floats("weights.\($0)", count: f.sizes[$0] * f.sizes[$0 + 1]) }
            f.biases = try (0..<(f.sizes.count - 1)).map { try set.floats("biases.\($0)", count: f.sizes[$0 + 1]) }
            return .mlp(f)
        }
    }
}

extension FittedEstimator {
    /// Several trees as one set of tensors: every tree's nodes one after another, a split's
    /// children numbered across the set, and `roots` saying where each tree begins (forest, boost).
    static func treeTensors(_ trees: [TreeFit]) -> [Tensor] {
        var all: [TreeFit.Node] = [], roots: [Int64] = []
        for t in trees {
            let offset = all.count
            roots.append(Int64(offset))
            all += t.nodes.map { n in
                var m = n
                if m.feature >= 0 { m.left += offset; m.right += offset }
                return m
            }
        }
        let n = all.count, v = all.first?.value.count ?? 0
        // Boosted trees say where missing values go: 1 left, 0 right, −1 a node that never saw one.
        let missing = all.contains { $0.missingLeft != nil }
            ? [Tensor("missing_left", [n], ints: all.map { $0.missingLeft.map { $0 ? 1 : 0 } ?? -1 })] : []
        // Boosted splits on categories: per node a flag (1 such a split) and the 256-bit set of the
        // codes that go left, as four words.
        let categorical = all.contains { $0.categories != nil }
            ? [Tensor("category_sets", [n, 5], ints: all.flatMap { node -> [Int64] in
                guard let set = node.categories else { return [0, 0, 0, 0, 0] }
                var words = [UInt64](repeating: 0, count: 4)
                for c in set { words[c >> 6] |= 1 << UInt64(c & 63) }
                return [1] + words.map { Int64(bitPattern: $0) }
            })] : []
        return missing + categorical + [Tensor("roots", [roots.count], ints: roots),
                Tensor("feature", [n], ints: all.map { Int64($0.feature) }),
                Tensor("threshold", [n], all.map(\.threshold)),
                Tensor("left", [n], ints: all.map { Int64($0.left) }),
                Tensor("right", [n], ints: all.map { Int64($0.right) }),
                Tensor("value", [n, v], all.flatMap(\.value)),
                Tensor("samples", [n], ints: all.map { Int64($0.samples) })]
    }

    /// The trees back from their tensors, each split checked to point forward inside its own tree.
    static func trees(_ set: TensorSet, _ dims: (String, Int) throws -> [Int], count: Int, features: Int, template: [TreeFit]) throws -> [TreeFit] {
        let n = try dims("feature", 1)[0], v = try dims("value", 2)[1], trees = try dims("roots", 1)[0]
        let roots = try set.ints("roots", count: trees)
        let feature = try set.ints("feature", count: n), threshold = try set.floats("threshold", count: n)
        let left = try set.ints("left", count: n), right = try set.ints("right", count: n)
        let value = try set.rows("value", n, v), samples = try set.ints("samples", count: n)
        let missing = set.byName["missing_left"] != nil ? try set.ints("missing_left", count: n) : nil
        let categorical = set.byName["category_sets"] != nil ? try set.ints("category_sets", count: n * 5) : nil
        guard trees == count, trees >= 1, roots.first == 0 else { throw ModelFileError.corrupt("the trees do not match their roots") }
        var result = template
        for t in 0..<trees {
            let start = roots[t], end = t + 1 < trees ? roots[t + 1] : n
            guard start < end, end <= n else { throw ModelFileError.corrupt("the tree \(t) has no nodes") }
            for i in start..<end where feature[i] >= 0 {
                guard feature[i] < features, left[i] > i, left[i] < end, right[i] > i, right[i] < end else {
                    throw ModelFileError.corrupt("the node \(i) points outside its tree")
                }
            }
            result[t].nodes = (start..<end).map { (i: Int) -> TreeFit.Node in
                var node = TreeFit.Node(feature: feature[i], threshold: threshold[i], left: feature[i] >= 0 ? left[i] - start : -1,
                                        right: feature[i] >= 0 ? right[i] - start : -1, value: value[i], samples: samples[i])
                if let missing, missing[i] >= 0 { node.missingLeft = missing[i] == 1 }
                if let categorical, categorical[i * 5] == 1 {
                    node.categories = (0..<256).filter { c in (UInt64(bitPattern: Int64(categorical[i * 5 + 1 + c >> 6])) >> UInt64(c & 63)) & 1 == 1 }
                }
                return node
            }
        }
        return result
    }
}
