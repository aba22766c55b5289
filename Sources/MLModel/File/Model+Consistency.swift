import MLLearn

extension Model {
    /// What a decoded model must hold together for predictions to run without a trap: the
    /// names and counts that index into each other agree.
    func checkConsistency() throws {
        if let problem = recipe.statesFitSteps() { throw ModelFileError.corrupt(problem) }
        // Names reach the terminal: none may carry a control character (an escape sequence).
        let names = [name, formula] + [target].compactMap { $0 } + features + inputs.map(\.name) + (classes ?? [])
        if names.contains(where: { $0.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } }) {
            throw ModelFileError.corrupt("a name in it holds a control character")
        }
        guard !features.isEmpty else { throw ModelFileError.corrupt("the model has no features") }
        if let classes {
            guard classes.count >= 1 else { throw ModelFileError.corrupt("the model has an empty class list") }
            let n: Int? = {
                switch estimator {
                case .logistic(let f): return f.classes.count
                case .bayes(let f): return f.classes.count
                case .tree(let f): return f.nodes.first?.value.count
                case .mlp(let f): return f.sizes.last
                case .knn(let f): return f.classes?.count
                default: return nil
                }
            }()
            if let n, n != classes.count { throw ModelFileError.corrupt("the estimator knows \(n) classes where the model lists \(classes.count)") }
            if case .knn(let f) = estimator, f.y.contains(where: { !($0 >= 0 && $0 < Double(classes.count)) || $0 != $0.rounded() }) {
                throw ModelFileError.corrupt("a k-NN training row has a class outside the class list")
            }
            if case .tree(let f) = estimator, f.nodes.contains(where: { $0.value.count != classes.count }) {
                throw ModelFileError.corrupt("a tree node's class shares do not match the class list")
            }
            if case .forest(let f) = estimator, f.trees.contains(where: { $0.nodes.contains { $0.value.count != classes.count } }) {
                throw ModelFileError.corrupt("a forest node's class shares do not match the class list")
            }
        } else if task == .classification {
            throw ModelFileError.corrupt("a classifier without a class list")
        }
        if case .mlp(let f) = estimator, f.sizes.last != (classes?.count ?? 1) {
            throw ModelFileError.corrupt("the network's output layer does not match the target")
        }
        if case .tree(let f) = estimator, classes == nil, f.nodes.contains(where: { $0.value.count != 1 }) {
            throw ModelFileError.corrupt("a regression tree's node holds more than one value")
        }
        if case .boost(let f) = estimator {
            guard f.outputs == ((classes?.count ?? 0) > 2 ? classes!.count : 1), f.baseline.count == f.outputs, f.trees.count % max(1, f.outputs) == 0,
                  f.trees.allSatisfy({ $0.nodes.allSatisfy { $0.value.count == 1 } }) else {
                throw ModelFileError.corrupt("the boosted trees do not match the target")
            }
        }
        if case .forest(let f) = estimator, classes == nil, f.trees.contains(where: { $0.nodes.contains { $0.value.count != 1 } }) {
            throw ModelFileError.corrupt("a regression forest's node holds more than one value")
        }
        if case .logistic(let f) = estimator, f.classes.count < 2 { throw ModelFileError.corrupt("a logistic model with fewer than two classes") }
    }
}
