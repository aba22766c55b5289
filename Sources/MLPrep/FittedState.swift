import MLFrame

/// What a column step learned from its rows: the numbers `recipe` shows and `apply` uses.
public enum FittedState: Codable, Sendable, Equatable {
    case none
    /// One fill value per column (a number or a text).
    case fillValues([FillValue])
    /// Bounds per column (clip), from the fitted rows.
    case bounds(low: Double, high: Double)
    /// The categories seen, per column (one-hot), sorted.
    case categories([[String]])
    /// The order of categories (ordinal).
    case order([String])
    /// Centre and scale per column: x ↦ (x − centre) / scale.
    case affine(centers: [Double], scales: [Double])
    /// The donor rows of a k-nearest-neighbours fill: feature values (nil = missing).
    case knn(k: Int, features: [String], donors: [[Double?]])
    /// A least-squares fill: target = intercept + Σ coefficient × feature.
    case linear(features: [String], intercept: Double, coefficients: [Double], featureMeans: [Double])
}

public enum FillValue: Codable, Sendable, Equatable {
    case number(Double)
    case text(String)

    public var display: String {
        switch self {
        case .number(let d): return NumberText.compact(d)
        case .text(let s): return jsonString(s)
        }
    }
}

/// Short number text for summaries (four significant digits), without the render module.
enum NumberText {
    static func compact(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d == d.rounded() && abs(d) < 1e7 { return String(Int64(d)) }
        let s = "\(d)"
        if s.count <= 7 { return s }
        // Round to 4 significant digits.
        let magnitude = Double(Int((d == 0 ? 0 : (abs(d)).log10Floor)))
        let scale = pow10(3 - magnitude)
        let r = (d * scale).rounded() / scale
        let t = "\(r)"
        return t.hasSuffix(".0") ? String(t.dropLast(2)) : t
    }

    static func pow10(_ e: Double) -> Double {
        var r = 1.0
        if e >= 0 { for _ in 0..<Int(e) { r *= 10 } } else { for _ in 0..<Int(-e) { r /= 10 } }
        return r
    }
}

extension Double {
    var log10Floor: Int {
        var e = 0
        var x = self
        if x >= 1 { while x >= 10 { x /= 10; e += 1 } } else if x > 0 { while x < 1 { x *= 10; e -= 1 } }
        return e
    }
}
