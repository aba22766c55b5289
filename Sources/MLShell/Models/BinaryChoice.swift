import MLDiagnostics
import MLLanguage
import MLModel
import MLRender

/// A two-class model's class of interest and decision threshold, as a command asks for them:
/// `positive=CLASS` (else the model's own, else the second class) and `threshold=P` (else 0.5).
/// A row is the positive class when its probability is at least the threshold.
struct BinaryChoice {
    var positive: Int
    var threshold: Double
    var classes: [String]

    var positiveName: String { classes[positive] }
    var isDefault: Bool { threshold == 0.5 }

    func classify(_ p: [Double]) -> Int { p[positive] >= threshold ? positive : 1 - positive }

    /// The class a `positive=` names, checked against the model's classes; nil when not given.
    static func positiveName(_ call: CommandCall, classes: [String]?) throws -> String? {
        guard let e = call.freeOptions.first(where: { $0.name.text == "positive" })?.value ?? call.expr("positive") else { return nil }
        let text: String
        switch e.kind {
        case .name(let n): text = n.text
        case .string(let s): text = s
        case .number(_, let literal): text = literal
        case .bool(let b): text = b ? "true" : "false"
        default: throw Diagnostic(.badArgument, .error, "positive= names a class", file: call.file, range: e.range)
        }
        guard let classes else {
            throw Diagnostic(.badArgument, .error, "positive= is for a model of two classes; this one predicts values", file: call.file, range: e.range)
        }
        guard classes.count == 2 else {
            throw Diagnostic(.badArgument, .error, "positive= is for a model of two classes; this one has \(classes.count)", file: call.file, range: e.range,
                             hint: "macro averages treat every class alike")
        }
        guard classes.contains(text) else {
            throw Diagnostic(.badArgument, .error, "'\(text)' is not one of the classes: \(classes.joined(separator: ", "))", file: call.file, range: e.range,
                             hint: Suggest.didYouMean(text, in: classes) ?? "positive=\(classes[1])")
        }
        return text
    }

    /// The choice for a command on a model: nil for a model that is not two classes (and an
    /// error when positive= or threshold= was given to one).
    static func read(_ call: CommandCall, _ m: Model) throws -> BinaryChoice? {
        let positive = try positiveName(call, classes: m.classes)
        let threshold = try call.number("threshold")
        guard let classes = m.classes, classes.count == 2 else {
            if threshold != nil {
                throw call.error(at: "threshold", "threshold= is for a model of two classes",
                                 hint: m.classes != nil ? "a model of more classes predicts the most probable one" : "\(m.name) predicts \(m.task == .clustering ? "clusters" : "values"), not classes")
            }
            return nil
        }
        if let threshold, !(threshold > 0 && threshold < 1) {
            throw call.error(at: "threshold", "threshold= is a probability strictly between 0 and 1, not \(NumberFormat.compact(threshold))",
                             hint: "threshold=0.3 says the positive class from 30%")
        }
        return BinaryChoice(positive: classes.firstIndex(of: positive ?? m.positive ?? classes[1])!, threshold: threshold ?? 0.5, classes: classes)
    }
}
