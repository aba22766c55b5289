import Foundation
import MLDiagnostics
import MLLanguage
@testable import MLShell
import Testing

/// Every table, plot and help text fits the width it is given (`set maxwidth N`, or the
/// terminal's): a line one column too wide wraps on the screen and breaks every line after it.
@Suite struct WidthTests {
    /// The commands, run in order in one session at each width: every data, model and help
    /// output a user sees, on the shipped data sets.
    static let commands: [String] = [
        "load \"tutorials/data/penguins.csv\"",
        "describe",
        "describe penguins cols=[species, body_mass_g]",
        "show penguins 8",
        "head penguins 3",
        "count penguins by species",
        "count penguins by island, sex",
        "group penguins by island summarize n=count(species), mass=mean(body_mass_g), bill=mean(bill_length_mm)",
        "plot hist body_mass_g",
        "plot hist body_mass_g by=species",
        "plot bar island",
        "plot scatter bill_length_mm bill_depth_mm by=species",
        "plot box penguins body_mass_g by=species",
        "plot heatmap penguins",
        "plot scatter penguins flipper_length_mm body_mass_g style=braille",
        "schema penguins",
        "where penguins body_mass_g > 4000 as heavy",
        "sample penguins 10 as few",
        "load \"tutorials/data/titanic.csv\"",
        "describe titanic",
        "show titanic 5",
        "fill titanic age median",
        "encode titanic onehot [sex, passengerClass]",
        "recipe titanic",
        "split titanic 0.8 as train test",
        "fit logistic survived ~ age + sex_male + passengerClass_2nd + passengerClass_3rd on train as lr",
        "show lr",
        "evaluate lr on test",
        "plot lr roc on test",
        "plot lr confusion on test",
        "fit tree survived ~ age + sex_male + passengerClass_2nd + passengerClass_3rd on train max_depth=3 as tr",
        "show tr",
        "plot tr importance",
        "cv logistic survived ~ age + sex_male + passengerClass_2nd on train folds=3",
        "compare lr, tr on test",
        "load \"tutorials/data/mtcars.csv\"",
        "fit linear mpg ~ wt + hp + disp + qsec on mtcars as ols",
        "evaluate ols on mtcars",
        "plot ols residuals on mtcars",
        "predict ols wt=3 hp=110 disp=200 qsec=18",
        "search tree survived ~ age + sex_male on train max_depth=[2, 3] folds=3",
        "fit kmeans ~ wt + hp on mtcars k=3 as km",
        "vars",
        "help",
        "help fit",
        "help plot",
        "set",
        "history",
    ]

    @Test(arguments: [40, 60, 80, 120])
    func everyLineFitsTheWidth(_ width: Int) throws {
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let (session, out) = recordingSession()
        session.settings.maxwidth = width
        var checked = 0
        for command in Self.commands {
            Runner.run(SourceFile(name: "<width>", text: command), in: session)
            let text = TranscriptChecker.stripANSI(out.take())
            #expect(!text.contains("error:"), "\(command) at \(width): \(text)")
            // A diagnostic's first line stays whole, as compilers print it (editors read it).
            let header = #/^(\S+:\d+:\d+: )?(error|warning|note): /#
            for line in text.split(separator: "\n") where line.count > width && (try? header.prefixMatch(in: line)) == nil {
                Issue.record("\(command) at \(width) columns: a line of \(line.count):\n\(line)")
            }
            checked += 1
        }
        #expect(checked == Self.commands.count)
    }
}
