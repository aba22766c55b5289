import Foundation
import MLFrame
import MLLearn
import MLModel

/// The estimators as graph nodes over X [N, p], each as its predict computes it, and the
/// outputs: `prediction` [N, 1], or `label` [N] and `probabilities` [N, k], or `cluster` [N].
extension Exporter {
    mutating func addEstimator(_ x: String) throws {
        switch model.estimator {
        case .linear(let fit):
            let w = graph.constant(fit.coefficients, shape: [fit.coefficients.count, 1])
            regression(graph.op("Add", graph.op("MatMul", x, w), graph.scalar(fit.intercept)))
        case .logistic(let fit):
            let p = fit.weights.first?.count ?? 0, k = fit.weights.count
            // Wᵀ [p, k]: column c holds class c's weights.
            let wt = graph.constant((0..<p).flatMap { j in (0..<k).map { fit.weights[$0][j] } }, shape: [p, k])
            let scores = graph.op("Add", graph.op("MatMul", x, wt), graph.constant(fit.intercepts, shape: [k]))
            try classification(k == 1 ? twoClasses(graph.op("Sigmoid", scores)) : softmax(scores))
        case .bayes(let fit):
            let k = fit.classes.count, p = fit.means.first?.count ?? 0
            // joint_c = log prior_c − Σ_j ½ log(2π v_cj) − Σ_j (x_j − m_cj)² / (2 v_cj), as BayesFit.probabilities.
            let constant = (0..<k).map { c in
                (0..<p).reduce(log(fit.priors[c])) { s, j in s - 0.5 * log(2 * Double.pi * fit.variances[c][j]) }
            }
            let d = graph.op("Sub", graph.op("Unsqueeze", x, graph.constant(int64: [1])), graph.constant(fit.means.flatMap { $0 }, shape: [k, p]))
            let twiceVar = graph.constant(fit.variances.flatMap { $0.map { 2 * $0 } }, shape: [k, p])
            let terms = graph.op("Div", graph.op("Mul", d, d), twiceVar)
            let sum = graph.op("ReduceSum", terms, graph.constant(int64: [2]), attributes: [ONNXGraph.attribute("keepdims", int: 0)])
            try classification(softmax(graph.op("Sub", graph.constant(constant, shape: [k]), sum)))
        case .mlp(let fit):
            var a = x
            for l in fit.weights.indices {
                let w = graph.constant(fit.weights[l], shape: [fit.sizes[l], fit.sizes[l + 1]])
                let z = graph.op("Add", graph.op("MatMul", a, w), graph.constant(fit.biases[l], shape: [fit.sizes[l + 1]]))
                a = l < fit.weights.count - 1 ? graph.op("Relu", z) : z
            }
            if model.classes != nil { try classification(softmax(a)) } else { regression(a) }
        case .kmeans(let fit):
            let k = fit.centers.count, p = fit.centers.first?.count ?? 0
            let d = graph.op("Sub", graph.op("Unsqueeze", x, graph.constant(int64: [1])), graph.constant(fit.centers.flatMap { $0 }, shape: [k, p]))
            let distance = graph.op("ReduceSumSquare", d, graph.constant(int64: [2]), attributes: [ONNXGraph.attribute("keepdims", int: 0)])
            // The first nearest centre, as KMeansFit.nearest.
            let nearest = graph.op("ArgMin", distance, attributes: [ONNXGraph.attribute("axis", int: 1), ONNXGraph.attribute("keepdims", int: 0),
                                                                    ONNXGraph.attribute("select_last_index", int: 0)])
            graph.node("Where", [answered, nearest, graph.constant(int64: [-1], shape: [])], outputs: ["cluster"])
            graph.output("cluster", .int64, [nil])
            outputPorts.append(.init(name: "cluster", type: "int64", shape: "[N]", meaning: "the nearest centre, 0 to \(k - 1); −1 if no answer"))
        case .tree(let fit):
            try trees([fit], divideBy: 1)
        case .forest(let fit):
            try trees(fit.trees, divideBy: fit.trees.count)
        case .boost(let fit):
            try boost(fit)
        case .knn:
            throw refuse("knn has no ONNX form")
        }
    }

    /// [1 − p, p] from the second class's probability [N, 1].
    mutating func twoClasses(_ p: String) -> String {
        graph.op("Concat", [graph.op("Sub", graph.scalar(1), p), p], attributes: [ONNXGraph.attribute("axis", int: 1)])
    }

    mutating func softmax(_ scores: String) -> String {
        graph.op("Softmax", scores, attributes: [ONNXGraph.attribute("axis", int: 1)])
    }

    mutating func regression(_ value: String) {
        graph.node("Identity", [masked(value)], outputs: ["prediction"])
        graph.output("prediction", .double, [nil, 1])
        outputPorts.append(.init(name: "prediction", type: "double", shape: "[N, 1]", meaning: "the predicted \(model.target ?? "value"), NaN if no answer"))
    }

    /// The outputs of a classifier from its class probabilities [N, k]: the label is the first
    /// most probable class (ArgMax keeps the first, as mlsh's argmax), in the target's own type.
    mutating func classification(_ probabilities: String) throws {
        guard let classes = model.classes else { throw refuse("the model has no classes") }
        graph.node("Identity", [masked(probabilities)], outputs: ["probabilities"])
        let index = graph.op("ArgMax", probabilities, attributes: [ONNXGraph.attribute("axis", int: 1), ONNXGraph.attribute("keepdims", int: 0),
                                                                  ONNXGraph.attribute("select_last_index", int: 0)])
        let (table, type, none) = labelTable(classes)
        let label = graph.op("Gather", table, index, attributes: [ONNXGraph.attribute("axis", int: 0)])
        if let none {
            graph.node("Where", [answered, label, none], outputs: ["label"])
        } else {
            graph.node("Identity", [label], outputs: ["label"])
        }
        graph.output("label", type, [nil])
        graph.output("probabilities", .double, [nil, classes.count])
        let typeName = ["string", "int64", "double", "bool"][[ONNXGraph.ElementType.string, .int64, .double, .bool].firstIndex(of: type)!]
        outputPorts.append(.init(name: "label", type: typeName, shape: "[N]", meaning: "the predicted class" + (none == nil || model.algorithm.keepsMissing ? "" : typeName == "string" ? ", \"\" if no answer" : ", NaN if no answer")))
        outputPorts.append(.init(name: "probabilities", type: "double", shape: "[N, \(classes.count)]",
                                 meaning: "per class: " + classes.prefix(6).joined(separator: ", ") + (classes.count > 6 ? ", …" : "")))
    }

    /// The classes as a constant in the target's type (as Model.predictedValue gives them), and
    /// the value that marks a row without an answer where the type has one.
    mutating func labelTable(_ classes: [String]) -> (String, ONNXGraph.ElementType, String?) {
        switch model.targetType {
        case .int64?:
            let ints = classes.compactMap { Int64($0) }
            if ints.count == classes.count { return (graph.constant(int64: ints), .int64, nil) }
        case .float64?:
            let ds = classes.compactMap { Double($0) }
            if ds.count == classes.count { return (graph.constant(ds), .double, graph.scalar(.nan)) }
        case .bool?:
            if classes.allSatisfy({ $0 == "true" || $0 == "false" }) { return (graph.constant(bools: classes.map { $0 == "true" }), .bool, nil) }
        default: break
        }
        return (graph.constant(strings: classes), .string, graph.constant(strings: [""], shape: []))
    }
}
