import Foundation
import MLLearn

/// Trees as one ai.onnx.ml TreeEnsemble (opset 5), in double: thresholds, leaf values and sums
/// are mlsh's own numbers. A leaf carries one target, so a classifier's tree is written once per
/// class (leaf weight = that class's share); a forest sums and divides by its tree count, as
/// ForestFit does; boost sums learning rate × leaf value per output and adds its baseline.
extension Exporter {
    /// A tree of the ensemble: its nodes, the target its leaves add to, and the leaf weight.
    struct EnsembleTree {
        var tree: TreeFit
        var target: Int
        var weight: (TreeFit.Node) -> Double
    }

    /// Trees' answers (a value, or class shares) averaged over `divideBy` trees.
    mutating func trees(_ fits: [TreeFit], divideBy count: Int) throws {
        let k = model.classes?.count ?? 1
        var members: [EnsembleTree] = []
        for t in fits {
            for c in 0..<k { members.append(EnsembleTree(tree: t, target: c) { $0.value.count > c ? $0.value[c] : 0 }) }
        }
        var sum = try treeEnsemble(members, targets: k)
        if count > 1 { sum = graph.op("Div", sum, graph.scalar(Double(count))) }
        if model.classes != nil { try classification(sum) } else { regression(sum) }
    }

    mutating func boost(_ fit: BoostFit) throws {
        let outputs = max(1, fit.outputs)
        let members = fit.trees.enumerated().map { t, tree in
            EnsembleTree(tree: tree, target: t % outputs) { fit.learningRate * $0.value[0] }
        }
        let raw = graph.op("Add", try treeEnsemble(members, targets: outputs), graph.constant(fit.baseline, shape: [outputs]))
        if model.classes == nil {
            regression(raw)
        } else {
            try classification(outputs == 1 ? twoClasses(graph.op("Sigmoid", raw)) : softmax(raw))
        }
    }

    /// One TreeEnsemble node, SUM over trees, for X [N, p] → [N, targets].
    mutating func treeEnsemble(_ members: [EnsembleTree], targets: Int) throws -> String {
        if graph.mlOpset < 5 { return try treeEnsembleRegressor(members, targets: targets) }
        // A node costs about 30 bytes in the file; protobuf stops at 2 GiB.
        let entries = members.reduce(0) { $0 + $1.tree.nodes.count }
        guard entries < 40_000_000 else {
            throw refuse("its trees have \(entries) nodes (over the class count), more than an ONNX file of under 2 GiB holds",
                         hint: "fit with fewer trees or a larger min_samples_leaf")
        }
        var featureIDs: [Int64] = [], modes: [UInt8] = [], splits: [Double] = [], missingTrue: [Int64] = []
        var trueIDs: [Int64] = [], trueLeaf: [Int64] = [], falseIDs: [Int64] = [], falseLeaf: [Int64] = []
        var membership: [Double] = []
        var leafTargets: [Int64] = [], leafWeights: [Double] = []
        var roots: [Int64] = []
        for m in members {
            let nodes = m.tree.nodes
            // Each node's index among the interior nodes or among the leaves.
            var index = [Int64](repeating: 0, count: nodes.count)
            var interior = Int64(featureIDs.count)
            var leaves = Int64(leafWeights.count)
            for (i, n) in nodes.enumerated() {
                if n.feature >= 0 { index[i] = interior; interior += 1 } else { index[i] = leaves; leaves += 1 }
            }
            roots.append(Int64(featureIDs.count))
            if nodes[0].feature < 0 {
                // A tree of one leaf: a split whose both sides are that leaf.
                featureIDs.append(0); modes.append(0); splits.append(0); missingTrue.append(0)
                trueIDs.append(index[0]); trueLeaf.append(1); falseIDs.append(index[0]); falseLeaf.append(1)
            }
            for n in nodes {
                if n.feature < 0 {
                    leafTargets.append(Int64(m.target))
                    leafWeights.append(m.weight(n))
                    continue
                }
                featureIDs.append(Int64(n.feature))
                if let set = n.categories {
                    // BRANCH_MEMBER: the codes that go left; a code not listed (−1 for unseen) goes right.
                    modes.append(6)
                    splits.append(0)
                    // ONNX Runtime refuses an empty set: a split that sends only missing values left
                    // lists a code no value has (−2; unseen is −1).
                    membership.append(contentsOf: set.isEmpty ? [-2] : set.map(Double.init))
                    membership.append(.nan)
                } else {
                    modes.append(0)  // BRANCH_LEQ: left when x ≤ threshold
                    splits.append(n.threshold)
                }
                missingTrue.append((n.missingLeft ?? false) ? 1 : 0)
                trueIDs.append(index[n.left]); trueLeaf.append(nodes[n.left].feature < 0 ? 1 : 0)
                falseIDs.append(index[n.right]); falseLeaf.append(nodes[n.right].feature < 0 ? 1 : 0)
            }
        }
        var attributes = [
            ONNXGraph.attribute("aggregate_function", int: 1),
            ONNXGraph.attribute("post_transform", int: 0),
            ONNXGraph.attribute("n_targets", int: Int64(targets)),
            ONNXGraph.attribute("tree_roots", ints: roots),
            ONNXGraph.attribute("nodes_featureids", ints: featureIDs),
            ONNXGraph.attribute("nodes_modes", tensor: ONNXGraph.tensor(uint8: modes)),
            ONNXGraph.attribute("nodes_splits", tensor: ONNXGraph.tensor(splits, shape: [splits.count])),
            ONNXGraph.attribute("nodes_missing_value_tracks_true", ints: missingTrue),
            ONNXGraph.attribute("nodes_truenodeids", ints: trueIDs),
            ONNXGraph.attribute("nodes_trueleafs", ints: trueLeaf),
            ONNXGraph.attribute("nodes_falsenodeids", ints: falseIDs),
            ONNXGraph.attribute("nodes_falseleafs", ints: falseLeaf),
            ONNXGraph.attribute("leaf_targetids", ints: leafTargets),
            ONNXGraph.attribute("leaf_weights", tensor: ONNXGraph.tensor(leafWeights, shape: [leafWeights.count])),
        ]
        if !membership.isEmpty {
            attributes.append(ONNXGraph.attribute("membership_values", tensor: ONNXGraph.tensor(membership, shape: [membership.count])))
        }
        return graph.op("TreeEnsemble", [currentX], attributes: attributes, domain: "ai.onnx.ml")
    }

    /// The same trees as TreeEnsembleRegressor (ai.onnx.ml 3), for runtimes before TreeEnsemble:
    /// every node listed with its tree and node id, thresholds and leaf weights as double tensors,
    /// the sum given out as float32 and cast back. It has no set-membership split, so a boost
    /// model with categories of text is refused.
    mutating func treeEnsembleRegressor(_ members: [EnsembleTree], targets: Int) throws -> String {
        if members.contains(where: { $0.tree.nodes.contains { $0.categories != nil } }) {
            throw refuse("its trees split on categories of text, which ai.onnx.ml 3 cannot express",
                         hint: "export with the default ml_opset=5 (ONNX Runtime 1.21 or later), or encode the text columns before fitting")
        }
        var treeIDs: [Int64] = [], nodeIDs: [Int64] = [], featureIDs: [Int64] = [], modes: [String] = [], values: [Double] = []
        var trueIDs: [Int64] = [], falseIDs: [Int64] = [], missingTrue: [Int64] = []
        var targetTrees: [Int64] = [], targetNodes: [Int64] = [], targetIDs: [Int64] = [], weights: [Double] = []
        for (t, m) in members.enumerated() {
            for (i, n) in m.tree.nodes.enumerated() {
                treeIDs.append(Int64(t)); nodeIDs.append(Int64(i))
                if n.feature < 0 {
                    featureIDs.append(0); modes.append("LEAF"); values.append(0)
                    trueIDs.append(0); falseIDs.append(0); missingTrue.append(0)
                    targetTrees.append(Int64(t)); targetNodes.append(Int64(i)); targetIDs.append(Int64(m.target)); weights.append(m.weight(n))
                } else {
                    featureIDs.append(Int64(n.feature)); modes.append("BRANCH_LEQ"); values.append(n.threshold)
                    trueIDs.append(Int64(n.left)); falseIDs.append(Int64(n.right)); missingTrue.append((n.missingLeft ?? false) ? 1 : 0)
                }
            }
        }
        let sum = graph.op("TreeEnsembleRegressor", [currentX], attributes: [
            ONNXGraph.attribute("aggregate_function", string: "SUM"),
            ONNXGraph.attribute("post_transform", string: "NONE"),
            ONNXGraph.attribute("n_targets", int: Int64(targets)),
            ONNXGraph.attribute("nodes_treeids", ints: treeIDs),
            ONNXGraph.attribute("nodes_nodeids", ints: nodeIDs),
            ONNXGraph.attribute("nodes_featureids", ints: featureIDs),
            ONNXGraph.attribute("nodes_modes", strings: modes),
            ONNXGraph.attribute("nodes_values_as_tensor", tensor: ONNXGraph.tensor(values, shape: [values.count])),
            ONNXGraph.attribute("nodes_truenodeids", ints: trueIDs),
            ONNXGraph.attribute("nodes_falsenodeids", ints: falseIDs),
            ONNXGraph.attribute("nodes_missing_value_tracks_true", ints: missingTrue),
            ONNXGraph.attribute("target_treeids", ints: targetTrees),
            ONNXGraph.attribute("target_nodeids", ints: targetNodes),
            ONNXGraph.attribute("target_ids", ints: targetIDs),
            ONNXGraph.attribute("target_weights_as_tensor", tensor: ONNXGraph.tensor(weights, shape: [weights.count])),
        ], domain: "ai.onnx.ml")
        return graph.op("Cast", sum, attributes: [ONNXGraph.attribute("to", int: 11)])
    }
}
