import MLDiagnostics
import MLLanguage
import Testing

/// Parses one command and prints its arguments back, to compare with a string.
private func shape(_ text: String) -> String {
    let script = Parser.parse(SourceFile(name: "<t>", text: text))
    #expect(script.diagnostics.isEmpty, "\(script.diagnostics.map(\.message))")
    return script.commands.map { c in
        var parts = [c.verb.text]
        for a in c.arguments {
            switch a {
            case .positional(let e): parts.append(ExprPrinter.print(e))
            case .option(let n, let v): parts.append("\(n.text)=\(ExprPrinter.print(v))")
            case .comma: parts.append(",")
            }
        }
        if !c.binding.isEmpty { parts.append("as " + c.binding.map(\.text).joined(separator: " ")) }
        return parts.joined(separator: " | ")
    }.joined(separator: "\n")
}

@Suite struct LexerTests {
    @Test func tokensOfEveryKind() {
        let (tokens, diags) = Lexer.tokenize(SourceFile(name: "<t>", text: "load \"a b.csv\" 'x' `body mass (g)` 42 0.5 1e-3 500ms 2s 1m 1h [a, b] k=v ~ . == != <= >= ; # comment"))
        #expect(diags.isEmpty)
        let kinds = tokens.map { "\($0.kind)" }
        #expect(kinds == ["word", "string", "string", "quotedName", "number", "number", "number", "duration", "duration", "duration", "duration",
                          "punct", "word", "punct", "word", "punct", "word", "punct", "word", "punct", "punct", "punct", "punct", "punct", "punct", "punct", "eof"])
        #expect(tokens[1].text == "a b.csv")
        #expect(tokens[3].text == "body mass (g)")
        #expect(tokens[6].number == 0.001)
        #expect(tokens[7].number == 0.5)
        #expect(tokens[9].number == 60)
        #expect(tokens[10].number == 3600)
    }

    @Test func stringEscapes() {
        let (tokens, _) = Lexer.tokenize(SourceFile(name: "<t>", text: #""a\"b\\c\nd\te" 'it\'s'"#))
        #expect(tokens[0].text == "a\"b\\c\nd\te")
        #expect(tokens[1].text == "it's")
    }

    @Test func proseAndOutputLinesAreNotTokens() {
        let (tokens, _) = Lexer.tokenize(SourceFile(name: "<t>", text: "#' prose\nprint 1\n#> 1\n"))
        #expect(tokens.map(\.text) == ["\n", "print", "1", "\n", "\n", ""])
    }

    @Test func backslashAndBracketsContinueLines() {
        #expect(shape("print 1 + \\\n 2") == "print | (1 + 2)")
        #expect(shape("print [1,\n 2,\n 3]") == "print | [1, 2, 3]")
    }

    @Test func badNumberSuffix() {
        #expect(syntaxErrors("print 2x") == """
            <input>:1:7: error: invalid number '2x'
             1 | print 2x
               |       ^~
            hint: a number may end in a duration unit (ms, s, m, h); a name cannot start with a digit unless written in backticks: `2x`

            """)
    }

    @Test func unknownCharacter() {
        #expect(syntaxErrors("print a && b") == """
            <input>:1:9: error: unexpected character '&'
             1 | print a && b
               |         ^
            hint: write 'and' for a logical and
            <input>:1:10: error: unexpected character '&'
             1 | print a && b
               |          ^
            hint: write 'and' for a logical and

            """)
    }
}

@Suite struct ParserTests {
    @Test func commandShapes() {
        #expect(shape("load \"data/penguins.csv\" sep=\",\" as p") == "load | \"data/penguins.csv\" | sep=\",\" | as p")
        #expect(shape("where penguins bill_length_mm > 40 and species == \"Adelie\"") ==
                "where | penguins | ((bill_length_mm > 40) and (species == \"Adelie\"))")
        #expect(shape("count penguins by island, sex") == "count | penguins | by | island | , | sex")
        #expect(shape("split penguins 0.8 seed=7 stratify=species as train test") ==
                "split | penguins | 0.8 | seed=7 | stratify=species | as train test")
        #expect(shape("derive penguins ratio = bill_length_mm / bill_depth_mm") ==
                "derive | penguins | ratio=(bill_length_mm / bill_depth_mm)")
        #expect(shape("load \"x.csv\" types={year: int, `a b`: float} missing=[\"\", \"NA\"]") ==
                "load | \"x.csv\" | types={year: int, a b: float} | missing=[\"\", \"NA\"]")
        #expect(shape("group penguins by species summarize n=count(species), mass=mean(body_mass_g)") ==
                "group | penguins | by | species | summarize | n=count(species) | , | mass=mean(body_mass_g)")
    }

    @Test func formulas() {
        #expect(shape("fit linear price ~ carat + depth on diamonds") == "fit | linear | price ~ (carat + depth) | on | diamonds")
        #expect(shape("fit logistic species ~ . on train as m") == "fit | logistic | species ~ . | on | train | as m")
        #expect(shape("fit linear y ~ . - id on d") == "fit | linear | y ~ (. - id) | on | d")
        // A one-sided formula right after a word reads as two-sided: `fit` takes the
        // algorithm back out of the left side (docs/language.md, Formulas).
        #expect(shape("fit kmeans ~ a + b on d k=3") == "fit | kmeans ~ (a + b) | on | d | k=3")
        #expect(shape("fit kmeans k=3 ~ a + b on d") == "fit | kmeans | k=3 | ~ (a + b) | on | d")
    }

    @Test func precedence() {
        #expect(shape("print 2 + 3 * 4 ^ 2") == "print | (2 + (3 * (4 ^ 2)))")
        #expect(shape("print -2 ^ 2") == "print | -(2 ^ 2)")
        #expect(shape("print 2 ^ 3 ^ 2") == "print | (2 ^ (3 ^ 2))")
        #expect(shape("print not a or b and c") == "print | (not a or (b and c))")
        #expect(shape("print a - b - c") == "print | ((a - b) - c)")
        #expect(shape("print (1 + 2) * 3") == "print | ((1 + 2) * 3)")
    }

    @Test func predicates() {
        #expect(shape("where d x is missing") == "where | d | (x is missing)")
        #expect(shape("where d x is not missing") == "where | d | (x is not missing)")
        #expect(shape("where d island in [\"Biscoe\", \"Dream\"]") == "where | d | (island in [\"Biscoe\", \"Dream\"])")
        #expect(shape("where d island not in [a]") == "where | d | (island not in [a])")
        #expect(shape("check d year between 1900 and 2025") == "check | d | (year between 1900 and 2025)")
        #expect(shape("print if(x > 1, \"big\", \"small\")") == "print | if((x > 1), \"big\", \"small\")")
        #expect(shape("where d (x > 1)") == "where | d | (x > 1)")
    }

    @Test func separatorsCommentsAndNames() {
        #expect(shape("print 1; print 2 # two\n\nprint `my col`") == "print | 1\nprint | 2\nprint | `my col`")
        #expect(shape("sleep 500ms") == "sleep | 500ms")
    }

    @Test func severalErrorsInOneScript() {
        #expect(syntaxErrors("print (1 +\nprint 2)\nprint 3 +\nprint [1, 2)\nas x\nprint 1 as\n", name: "bad.mlsh") == """
            bad.mlsh:2:7: error: expected ')' to close the '(' at 1:7, found '2'
             2 | print 2)
               |       ^
            bad.mlsh:3:10: error: expected a value, found end of line
             3 | print 3 +
               |          ^
            hint: the command stops too early
            bad.mlsh:4:12: error: expected ']' to close the '[' at 4:7, found ')'
             4 | print [1, 2)
               |            ^
            bad.mlsh:5:1: error: unexpected 'as' where a command should start
             5 | as x
               | ^~
            hint: a command starts with a verb such as 'help', 'print' or 'load'
            bad.mlsh:6:11: error: expected a name after 'as', found end of line
             6 | print 1 as
               |           ^
            hint: write 'as NAME' to bind the result to NAME

            """)
    }

    @Test func incompleteInputIsItsOwnKind() {
        for text in ["print [1, 2", "print (1 +", "print \"abc", "print 1 + \\", "print {a: 1"] {
            let script = Parser.parse(SourceFile(name: "<input>", text: text))
            #expect(script.isIncomplete, "\(text)")
        }
        for text in ["print 1 +", "print )", "print [1, 2)"] {
            let script = Parser.parse(SourceFile(name: "<input>", text: text))
            #expect(!script.isIncomplete && !script.diagnostics.isEmpty, "\(text)")
        }
        #expect(syntaxErrors("print \"abc") == """
            <input>:1:7: error: unterminated string: the " here is never closed
             1 | print "abc
               |       ^
            hint: end the string with " (a string may span lines)

            """)
    }

    @Test func missingOptionValue() {
        #expect(syntaxErrors("load \"x\" sep=") == """
            <input>:1:10: error: missing value after 'sep='
             1 | load "x" sep=
               |          ^~~~
            hint: write sep=VALUE, with no space needed around '='

            """)
    }

    @Test func reservedWordAsName() {
        #expect(syntaxErrors("print in") == """
            <input>:1:7: error: unexpected 'in': expected a value
             1 | print in
               |       ^~
            hint: 'in' is a reserved word; write a column of that name in backticks: `in`

            """)
    }

    @Test func aHundredKilobyteLine() {
        let long = "print \"" + String(repeating: "abcd", count: 25_000) + "\""
        let script = Parser.parse(SourceFile(name: "<input>", text: long))
        #expect(script.diagnostics.isEmpty)
        let sum = "print " + String(repeating: "1 + ", count: 25_000) + "1"
        #expect(Parser.parse(SourceFile(name: "<input>", text: sum)).diagnostics.map(\.message) == ["expression too long (more than 200 operations in a row)"])
        let bad = "print " + String(repeating: "1 + ", count: 25_000) + "+"
        let rendered = syntaxErrors(bad)
        #expect(rendered.hasPrefix("<input>:1:100008: error: expected a value, found end of input"))
        #expect(rendered.count < 600)  // the excerpt is cut around the caret
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let ok = "print " + String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        #expect(Parser.parse(SourceFile(name: "<input>", text: ok)).diagnostics.isEmpty)
        let deep = "print " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        let script = Parser.parse(SourceFile(name: "<input>", text: deep))
        #expect(script.diagnostics.map(\.message) == ["expression nested too deeply (more than 100 levels)"])
        let minus = "print " + String(repeating: "-", count: 5000) + "1"
        #expect(Parser.parse(SourceFile(name: "<input>", text: minus)).diagnostics.count == 1)
    }
}
