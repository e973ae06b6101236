import Testing

import IDCLang

private func candidates(
  _ line: String, cursor: Int? = nil, workspace: [String] = ["sel", "model", "answers"], variables: [String] = []
) -> [String] {
  completion(line, cursor: cursor, workspace: workspace, variables: variables).candidates
}

private func completion(
  _ line: String, cursor: Int? = nil, workspace: [String] = ["sel", "model", "answers"], variables: [String] = []
) -> Completion {
  complete(
    line: line, cursor: cursor ?? line.utf8.count, registry: Fixtures.registry, workspaceNames: workspace,
    variables: variables,
    pathCompleter: { partial in
      ["data/", "data/x.npy", "data/y.npz", "data/z.csv", "other.idc", "notes.txt"].filter { $0.hasPrefix(partial) }
    })
}

@Suite("Completion")
struct CompletionTests {
  @Test func commandNamesAtTheStartOfAStatement() {
    #expect(candidates("k") == ["kmeans"])
    #expect(candidates("s") == ["score", "select", "set", "show", "source"])
    #expect(candidates("sel = s") == ["score", "select", "set", "show", "source"])
    #expect(candidates("f") == ["feedback", "for"])
    #expect(candidates("for s in [a] { ev") == ["eval"])
    #expect(candidates("eval\nkm") == ["kmeans"])
    #expect(candidates("?k") == ["?kmeans"])
    #expect(completion("sel = se").start == 6)
    #expect(completion("sel = se").prefix == "se")
  }

  @Test func parameterNamesAfterACommand() {
    #expect(candidates("kmeans ") == ["init=", "k=", "seed="])
    #expect(candidates("kmeans k=3 s") == ["seed="])
    #expect(candidates("km k=3 ") == ["init=", "seed="])
    #expect(candidates("eval ") == [])
    #expect(candidates("nosuch ") == [])
  }

  @Test func choicesAndBooleansAfterEquals() {
    #expect(candidates("select strategy=hard") == ["hard", "hard+rep", "hard+rep+div"])
    #expect(candidates("select strategy=") == Fixtures.strategies.sorted())
    #expect(candidates("train verbose=") == ["false", "true"])
    #expect(candidates("train seed=") == [])
    #expect(completion("select m=3 strategy=ha").start == 20)
  }

  @Test func workspaceNamesForNameParameters() {
    #expect(candidates("plot tsne highlight=") == ["answers", "model", "sel"])
    #expect(candidates("plot tsne highlight=s") == ["sel"])
    #expect(candidates("show ") == ["answers", "model", "sel"])
    #expect(candidates("show sel m") == ["model"])
    #expect(candidates("show [sel, m") == ["model"])
  }

  @Test func subcommandsAndPositionalChoices() {
    #expect(candidates("plot ") == ["scores", "tsne"])
    #expect(candidates("plot tsne ") == ["highlight=", "perplexity="])
    #expect(candidates("feedback ") == ["ask", "file=", "oracle", "t="])
    #expect(candidates("feedback ask ") == ["file=", "t="])
  }

  @Test func pathsAreDelegatedAndFilteredByExtension() {
    #expect(candidates("load ") == ["data/", "data/x.npy", "data/y.npz", "digits", "features=", "labels="])
    #expect(candidates("load d") == ["data/", "data/x.npy", "data/y.npz", "digits"])
    #expect(candidates("load features=data/") == ["data/", "data/x.npy"])
    #expect(candidates("source ") == ["data/", "other.idc"])
    #expect(candidates("feedback file=") == ["data/", "data/z.csv"])
    let quoted = completion("load features=\"data/x")
    #expect(quoted.candidates == ["data/x.npy"])
    #expect(quoted.start == 15)
    #expect(quoted.prefix == "data/x")
    #expect(candidates("load \"d") == ["data/", "data/x.npy", "data/y.npz"])
    #expect(candidates("load \"done\"") == [])
  }

  @Test func variables() {
    #expect(candidates("select strategy=$", variables: ["s", "size"]) == ["$s", "$size"])
    #expect(candidates("select strategy=$si", variables: ["s", "size"]) == ["$size"])
  }

  @Test func cursorInTheMiddleAndUnicode() {
    #expect(candidates("kmeans k=3 eval", cursor: 2) == ["kmeans"])
    let line = "set title=\"é\" "
    let result = completion(line + "ec")
    #expect(result.candidates == ["echo="])
    #expect(result.start == line.utf8.count)
    #expect(candidates("kmeans", cursor: 99) == ["kmeans"])
  }
}
