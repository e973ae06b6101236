import Testing

import IDCLang

@Suite("Command registry")
struct CommandRegistryTests {
  @Test func fixtureIsSound() {
    #expect(Fixtures.registry.lint() == [])
  }

  @Test func lookupIsExactNeverByPrefix() {
    #expect(Fixtures.registry.spec(named: "km")?.name == "kmeans")
    #expect(Fixtures.registry.spec(named: "exit")?.name == "quit")
    #expect(Fixtures.registry.spec(named: "kmea") == nil)
    #expect(Fixtures.registry.spec(named: "sel") == nil)
  }

  @Test func lintFindsMistakes() {
    let registry = CommandRegistry([
      CommandSpec(
        name: "a", aliases: ["b"], abstract: "x",
        positionals: [ParameterSpec("xs", .list(of: .string), help: "h"), .string("y", help: "h")],
        parameters: [
          .int("k", in: 1...5, default: 9, help: "h"),
          ParameterSpec("r", .double(range: nil), default: .int(1), help: "h"),
          .int("q", default: 1, required: true, help: "h"),
          .choice("c", [], help: "h"),
          .int("k", help: "h"),
          .string("bad-name", help: "h"),
        ],
        defaultSubcommand: "nope", examples: ["a k=1", "a k=zz"]),
      CommandSpec(name: "b", abstract: "y"),
      CommandSpec(name: "x=y", abstract: "z"),
    ])
    #expect(
      registry.lint() == [
        "a k: default 9 does not fit: k must be in 1...5, got 9",
        "a r: write the default as 1.0 (a number)",
        "a q: required but has a default",
        "a c: no choices",
        "a k: declared twice",
        "a bad-name: not a valid parameter name",
        "a xs: only the last positional may be a list",
        "a: default subcommand 'nope' does not exist",
        "a: example 'a k=zz': k expects an integer in 1...5, got 'zz'",
        "'b' names both a and b",
        "x=y: 'x=y' cannot be typed as a command word",
      ])
  }

  @Test func helpText() throws {
    #expect(
      Fixtures.registry.helpText(for: "select") == """
        select — pick the most valuable samples to ask about

        Usage: [name =] select [m=<int>] [strategy=<choice>]

        Parameters:
          m=<int>            how many samples (default: 100; an integer in 1...100000)
          strategy=<choice>  what makes a sample valuable (default: hard+rep+div; one of random, hard, rep, hard+rep, hard+rep+div)

        Result: a selection, bound with 'name = select …'

        Examples:
          sel = select m=100 strategy=hard+rep+div

        """)
    #expect(
      Fixtures.registry.helpText(for: "km") == """
        kmeans — cluster the features with k-means++

        Usage: [name =] kmeans [k=<int>] [seed=<int>] [init=<choice>]

        Parameters:
          k=<int>        number of clusters (default: 10; an integer in 1...100000)
          seed=<int>     random seed (default: 0; an integer)
          init=<choice>  how to pick the first centres (default: kmeans++; one of kmeans++, random)

        Aliases: km

        Result: a clustering, bound with 'name = kmeans …'

        Examples:
          kmeans k=10 seed=0

        """)
    #expect(
      Fixtures.registry.helpText(for: "source") == """
        source — run another script

        Usage: source <file>

        Parameters:
          <file>  the script (required; a .idc file)

        """)
    #expect(Fixtures.registry.helpText(for: "nothing") == nil)
    #expect(Fixtures.registry.helpText(for: "plot tnse") == nil)
  }

  @Test func helpForSubcommands() throws {
    let plot = try #require(Fixtures.registry.helpText(for: "plot"))
    #expect(plot.hasPrefix("plot — draw a figure\n\nUsage: plot <tsne|scores> …\n"))
    #expect(plot.contains("\nSubcommands:\n  tsne    the t-SNE map\n  scores  the value scores\nType 'help plot SUBCOMMAND'"))
    let tsne = try #require(Fixtures.registry.helpText(for: "plot tsne"))
    #expect(tsne.hasPrefix("plot tsne — the t-SNE map\n\nUsage: plot tsne [highlight=<name>] [perplexity=<number>]\n"))
    #expect(tsne.contains("  highlight=<name>     a selection to mark (the name of a selection)\n"))
    let show = try #require(Fixtures.registry.helpText(for: "show"))
    #expect(show.contains("Usage: show [<names>…]\n"))
  }

  @Test func overview() {
    let text = Fixtures.registry.overview()
    #expect(text.hasPrefix("Commands:\n  load      load a data set\n  kmeans    cluster the features with k-means++\n"))
    #expect(text.hasSuffix("  quit      leave idc\n\nType 'help COMMAND' for a command's parameters.\n"))
  }

  @Test func markdownReference() {
    let text = Fixtures.registry.markdownReference()
    #expect(text.hasPrefix("| Command | Aliases | Summary |\n| --- | --- | --- |\n| [`load`](#load) |  | load a data set |\n"))
    #expect(text.contains("| [`kmeans`](#kmeans) | `km` | cluster the features with k-means++ |\n"))
    #expect(
      text.contains(
        """

        ### kmeans

        Cluster the features with k-means++.

        ```
        [name =] kmeans [k=<int>] [seed=<int>] [init=<choice>]
        ```

        | Parameter | Type | Default | Description |
        | --- | --- | --- | --- |
        | `k=` | an integer in 1...100000 | `10` | number of clusters |
        | `seed=` | an integer | `0` | random seed |
        | `init=` | one of kmeans++, random | `kmeans++` | how to pick the first centres |

        Aliases: `km`. Result: a clustering.

        ```
        kmeans k=10 seed=0
        ```

        """))
    #expect(text.contains("\n### plot tsne\n"))
    #expect(text.contains("| `<file>` | a .idc file | required | the script |\n"))
  }
}
