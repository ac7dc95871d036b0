/// Thrown when a configuration cannot be used; it carries every problem found, not just the first, so one run
/// of `heraldctl check-config` shows everything to fix.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the configuration came from: a file path, or a short label for text given directly.
    public var source: String
    public var problems: [ConfigProblem]

    public init(source: String, problems: [ConfigProblem]) {
        self.source = source
        self.problems = problems
    }

    /// A heading, then one problem per line with the line number it sits on when known.
    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        var text = "\(source): \(count) in the configuration; fix each and check again with heraldctl check-config"
        for problem in problems {
            text += "\n  \(problem)"
            if let line = problem.line { text += " (line \(line))" }
        }
        return text
    }
}
