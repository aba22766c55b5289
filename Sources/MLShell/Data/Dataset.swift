import Crypto
import MLDiagnostics
import MLFrame
import MLFrameIO
import MLPrep

/// Where a dataset came from: the file, its size and (computed when first asked) its SHA-256.
public final class DataSource {
    public let path: String
    public let bytes: Int
    public let rows: Int
    public let options: String
    private var hash: String?

    public init(path: String, bytes: Int, rows: Int, options: String) {
        self.path = path
        self.bytes = bytes
        self.rows = rows
        self.options = options
    }

    /// The file's SHA-256, read again from disk the first time it is asked for.
    public func sha256() -> String? {
        if let hash { return hash }
        hash = try? SHA256.hexDigest(ofFile: path)
        return hash
    }
}

/// A named dataset in the session: its current frame, the versions before it (for `undo`), its
/// source, and its recipe — the steps that made the current frame from the loaded one.
/// Transforming verbs without `as` push a new version.
public final class Dataset {
    public struct Version {
        public let frame: Frame
        /// The command that made this version, as written.
        public let step: String
        /// The steps from the loaded frame to this one, with their fitted states.
        public let recipe: Recipe
        /// Each row's number in the loaded file (row steps drop and reorder rows).
        public let rowIDs: [Int]
    }

    public var name: String
    public let source: DataSource
    public private(set) var versions: [Version]
    /// The leakage warning is said once per dataset.
    public var leakageWarned = false
    /// For a summary (count, group, predict … as): the command that made it.
    public var summaryOf: String?

    public init(name: String, frame: Frame, source: DataSource, step: String) {
        self.name = name
        self.source = source
        self.versions = [Version(frame: frame, step: step, recipe: Recipe(), rowIDs: Array(0..<frame.rowCount))]
    }

    public var frame: Frame { versions[versions.count - 1].frame }
    public var recipe: Recipe { versions[versions.count - 1].recipe }
    public var rowIDs: [Int] { versions[versions.count - 1].rowIDs }
    /// The frame as loaded, before any step.
    public var loaded: Frame { versions[0].frame }

    /// The same rows with columns that no recipe step made (predict's answers): the recipe and the
    /// rows' place in the source stay, so `fit` still re-fits on the right rows.
    public func push(_ frame: Frame, step: String) {
        precondition(frame.rowCount == self.frame.rowCount)
        versions.append(Version(frame: frame, step: step, recipe: recipe, rowIDs: rowIDs))
    }

    /// The result of a recipe step on the current frame, as the next version.
    public func push(_ result: StepResult, step: RecipeStep, command: String) {
        versions.append(next(result, step: step, command: command))
    }

    func next(_ result: StepResult, step: RecipeStep, command: String) -> Version {
        next([(result, step)], command: command)
    }

    /// One version from steps run one after the other by a single command (derive a=…, b=…).
    func next(_ steps: [(StepResult, RecipeStep)], command: String) -> Version {
        var ids = rowIDs
        var entries = recipe.entries
        for (result, step) in steps {
            // A step that learns from rows remembers which (for the leakage warning at split).
            entries.append(Recipe.Entry(step: step, state: result.state, command: command, fittedOn: step.learnsFromRows ? ids : nil))
            if let kept = result.kept { ids = kept.map { ids[$0] } }
        }
        return Version(frame: steps.last?.0.frame ?? frame, step: command, recipe: Recipe(entries: entries), rowIDs: ids)
    }

    /// Steps back one version; false when this is the loaded one.
    public func undo() -> Bool {
        guard versions.count > 1 else { return false }
        versions.removeLast()
        return true
    }

    /// A new dataset made from this one (what `as NAME` binds). It keeps the versions that led
    /// to it, so `schema` shows its whole history and `undo` can walk back through it.
    public func derived(name: String, result: StepResult, step: RecipeStep, command: String) -> Dataset {
        derived(name: name, steps: [(result, step)], command: command)
    }

    public func derived(name: String, steps: [(StepResult, RecipeStep)], command: String) -> Dataset {
        let version = next(steps, command: command)
        let d = Dataset(name: name, frame: version.frame, source: source, step: command)
        d.versions = versions + [version]
        return d
    }

    public func push(_ steps: [(StepResult, RecipeStep)], command: String) {
        versions.append(next(steps, command: command))
    }

    /// A new dataset of some of this one's rows (split): same recipe, those rows.
    public func subset(name: String, rows: [Int], command: String) -> Dataset {
        let taken = frame.take(rows)  // once: a million-row split is all gathers and page faults
        let d = Dataset(name: name, frame: taken, source: source, step: command)
        d.versions = versions + [Version(frame: taken, step: command, recipe: recipe, rowIDs: rows.map { rowIDs[$0] })]
        return d
    }

    /// A new dataset holding a summary of this one (count, group): its own rows, no recipe.
    public func summary(name: String, frame: Frame, command: String) -> Dataset {
        let d = Dataset(name: name, frame: frame, source: source, step: command)
        d.summaryOf = command
        return d
    }
}
