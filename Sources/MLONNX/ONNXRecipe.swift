import Foundation
import MLFrame
import MLPrep

/// The recipe's column steps as graph nodes, each computing what StepRunner.apply computes.
/// Row steps curate the training rows and do not run on new rows, so they add nothing. A step
/// whose columns the model does not use is left out (its columns leave `columns`).
extension Exporter {
    mutating func addRecipe() throws {
        for (i, entry) in model.recipe.entries.enumerated() where !entry.step.isRowStep {
            try add(entry.step, entry.state, at: "recipe step \(i + 1) (\(entry.command))")
        }
    }

    mutating func add(_ step: RecipeStep, _ state: FittedState, at place: String) throws {
        switch (step, state) {
        case (.fill(let names, _), .fillValues(let values)):
            for (name, value) in zip(names, values) {
                guard let c = columns[name] else { continue }
                switch value {
                case .number(let d) where !c.isText:
                    columns[name]!.value = graph.op("Where", graph.op("IsNaN", c.value), graph.scalar(d), c.value)
                case .text(let s) where c.isText:
                    guard !s.isEmpty else { throw refuse("\(place) fills with the empty text, which the graph reads as missing") }
                    let empty = graph.constant(strings: [""], shape: [])
                    columns[name]!.value = graph.op("Where", graph.op("Equal", c.value, empty), graph.constant(strings: [s], shape: []), c.value)
                default:
                    throw refuse("\(place) fills '\(name)' (\(c.kind)) with a value the graph does not carry for it")
                }
            }
        case (.fill, .knn):
            throw refuse("\(place) fills from the nearest training rows (a nan-euclidean search over its donor rows), which ONNX has no operator for",
                         hint: "fill with median, mean or model instead, fit again, and export")
        case (.fill(let names, _), .linear(let features, let intercept, let coefficients, let means)):
            guard let target = columns[names[0]] else { return }
            guard !target.isText else { throw refuse("\(place) fills a text column with a regression") }
            var v = graph.scalar(intercept)
            for (k, f) in features.enumerated() {
                let x: String
                if let c = columns[f] {
                    guard !c.isText else { throw refuse("\(place) reads '\(f)', which the graph has as text") }
                    x = graph.op("Where", graph.op("IsNaN", c.value), graph.scalar(means[k]), c.value)
                } else {
                    // Not an input (the model's target): missing in new rows, so its training mean, as ModelFill.apply.
                    x = graph.scalar(means[k])
                }
                v = graph.op("Add", v, graph.op("Mul", graph.scalar(coefficients[k]), x))
            }
            columns[names[0]] = GraphColumn(value: graph.op("Where", graph.op("IsNaN", target.value), v, target.value), kind: .number)
        case (.clip(let name, _, _), .bounds(let low, let high)):
            guard let c = try number(name, place) else { return }
            // NaN compares false both ways and stays missing.
            let lo = graph.op("Where", graph.op("Less", c.value, graph.scalar(low)), graph.scalar(low), c.value)
            columns[name] = GraphColumn(value: graph.op("Where", graph.op("Greater", lo, graph.scalar(high)), graph.scalar(high), lo), kind: .number)
        case (.scale(let names, _), .affine(let centers, let scales)):
            for (k, name) in names.enumerated() {
                guard let c = try number(name, place) else { continue }
                columns[name] = GraphColumn(value: graph.op("Div", graph.op("Sub", c.value, graph.scalar(centers[k])), graph.scalar(scales[k])), kind: .number)
            }
        case (.normalize(let names, let norm), _):
            try normalize(names, norm, place)
        case (.oneHot(let names, let dropFirst, let unknown, _), .categories(let categories)):
            for (name, cats) in zip(names, categories) {
                guard let c = columns[name] else { continue }
                if unknown == .error {
                    throw refuse("\(place) stops at a category it has not seen (unknown=error), and a graph cannot stop one row",
                                 hint: "encode with unknown=ignore (an unseen category is all false), fit again, and export")
                }
                columns[name] = nil
                for (j, cat) in cats.enumerated() where !(dropFirst && j == 0) {
                    let hit = graph.op("Equal", c.value, try key(cat, of: c, place))
                    columns["\(name)_\(cat)"] = GraphColumn(value: graph.op("Cast", hit, attributes: [ONNXGraph.attribute("to", int: 11)]), kind: .bool)
                }
            }
        case (.ordinal(let name, _), .order(let order)):
            guard let c = columns[name] else { return }
            // An unseen or missing value is missing (NaN), as Ordinal.apply.
            let values = order.indices.map(Double.init)
            let coded: String
            if c.isText {
                coded = graph.mlOpset < 4 ? labelEncoder(c.value, keys: order, values: values, default: .nan)
                    : labelEncoder(c.value, keys: ONNXGraph.tensor(strings: order, shape: [order.count]), values: values, default: .nan)
            } else {
                let keys = try order.map { try keyNumber($0, of: c, place) }
                coded = graph.mlOpset < 4 ? lookup(c.value, keys: keys, values: values, default: .nan)
                    : labelEncoder(c.value, keys: ONNXGraph.tensor(keys, shape: [keys.count]), values: values, default: .nan)
            }
            columns[name] = GraphColumn(value: coded, kind: .number)
        case (.cast(let name, let type), _):
            try cast(name, type, place)
        case (.derive(let name, let source), _):
            try derive(name, source, place)
        case (.select(let names), _):
            columns = columns.filter { names.contains($0.key) }
        case (.drop(let names), _):
            for n in names { columns[n] = nil }
        case (.rename(let pairs), _):
            let old = columns
            for p in pairs { columns[p.old] = nil }
            for p in pairs { columns[p.new] = old[p.old] }
        default:
            throw refuse("\(place) has no ONNX form in this version of mlsh")
        }
    }

    /// A numeric column the step reads; nil when the model does not use it.
    mutating func number(_ name: String, _ place: String) throws -> GraphColumn? {
        guard let c = columns[name] else { return nil }
        guard !c.isText else { throw refuse("\(place) reads '\(name)' as numbers, but the graph has it as text") }
        return c
    }

    /// A category's text as the constant its column is compared with.
    mutating func key(_ text: String, of c: GraphColumn, _ place: String) throws -> String {
        c.isText ? graph.constant(strings: [text], shape: []) : graph.scalar(try keyNumber(text, of: c, place))
    }

    /// A category's text as the number the graph carries for it (a bool as 1 or 0, a date as days).
    func keyNumber(_ text: String, of c: GraphColumn, _ place: String) throws -> Double {
        switch c.kind {
        case .bool: if text == "true" || text == "false" { return text == "true" ? 1 : 0 }
        case .date:
            let p = text.split(separator: "-")
            if p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), let days = daysFromCivil(y, m, d) { return Double(days) }
        case .number: if let d = Double(text) { return d }
        case .text: break
        }
        throw refuse("\(place) has the category \(jsonString(text)), which is not a \(c.kind) value")
    }

    /// Each row divided by its norm over the columns; a row with a missing value is left as it is
    /// and a row of zeros stays zeros (as Normalizing.apply). Sums run in the columns' order.
    mutating func normalize(_ names: [String], _ norm: Norm, _ place: String) throws {
        var cs: [GraphColumn] = []
        for n in names {
            guard let c = try number(n, place) else {
                // A column the model does not use: the step's other columns still need it for the norm.
                if names.contains(where: { columns[$0] != nil }) {
                    throw refuse("\(place) normalizes over '\(n)', which the graph does not have")
                }
                return
            }
            cs.append(c)
        }
        let parts: [String] = cs.map { c in
            switch norm {
            case .l1, .max: return graph.op("Abs", c.value)
            case .l2: return graph.op("Mul", c.value, c.value)
            }
        }
        var n = parts[0]
        for p in parts.dropFirst() { n = norm == .max ? graph.op("Max", n, p) : graph.op("Add", n, p) }
        if norm == .l2 { n = graph.op("Sqrt", n) }
        n = graph.op("Where", graph.op("Equal", n, graph.scalar(0)), graph.scalar(1), n)
        var incomplete = graph.op("IsNaN", cs[0].value)
        for c in cs.dropFirst() { incomplete = graph.op("Or", incomplete, graph.op("IsNaN", c.value)) }
        for (name, c) in zip(names, cs) {
            columns[name] = GraphColumn(value: graph.op("Where", incomplete, c.value, graph.op("Div", c.value, n)), kind: .number)
        }
    }

    /// `cast` between the types the graph carries as numbers; to or from text is refused (ONNX's
    /// string-to-number Cast stops the whole batch at one bad text, where mlsh makes it missing).
    mutating func cast(_ name: String, _ type: ColumnType, _ place: String) throws {
        guard let c = columns[name] else { return }
        switch (c.kind, type) {
        case (.text, .string): return
        case (.text, _), (_, .string):
            throw refuse("\(place) converts between text and other types; ONNX's Cast stops the whole batch at a text that does not convert, where mlsh makes it missing",
                         hint: "convert the column in the data before fitting, or leave it out of the formula")
        case (_, .float64):
            columns[name]!.kind = .number
        case (.number, .int64):
            // A whole number (below 9e18) stays, anything else is missing.
            let whole = graph.op("And", graph.op("Equal", graph.op("Floor", c.value), c.value),
                                 graph.op("Less", graph.op("Abs", c.value), graph.scalar(9e18)))
            columns[name] = GraphColumn(value: graph.op("Where", whole, c.value, graph.scalar(.nan)), kind: .number)
        case (.bool, .int64), (.date, .int64):
            columns[name]!.kind = .number
        case (.bool, .bool), (.date, .date):
            return
        case (.number, .bool):
            // The texts 1 and 0 read as true and false; other numbers are missing.
            let one = graph.op("Equal", c.value, graph.scalar(1)), zero = graph.op("Equal", c.value, graph.scalar(0))
            columns[name] = GraphColumn(value: graph.op("Where", graph.op("Or", one, zero), c.value, graph.scalar(.nan)), kind: .bool)
        default:
            throw refuse("\(place) converts \(c.kind) to \(type.rawValue), which the graph does not do")
        }
    }
}
