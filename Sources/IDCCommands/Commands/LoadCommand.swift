import IDCCore
import IDCData
import IDCLang

/// `load`: a built-in data set by name, a data-set file, or explicit arrays.
enum LoadCommand: IDCCommand {
  static let spec = CommandSpec(
    name: "load",
    abstract: "Load features (and labels, images, texts) — a built-in name like 'digits', a .json/.npz/.npy/.csv file, or explicit files.",
    discussion: """
      Features are L2-normalised on load (IDC works with cosine similarity). With assignment=FILE the \
      given prediction (a .npy/.csv of cluster ids) becomes the pre-trained model, its centres the mean \
      feature of each predicted cluster — what the official IDC code does for a model with a cluster head.
      """,
    positionals: specs(source),
    parameters: specs(features, labels, images, texts, assignment, labelColumn, name, mapped),
    examples: ["load digits", "load features=\"f.npy\" labels=\"y.npy\" images=\"x.npy\"", "load data.csv label_column=last"])
  static let source: Parameter<String?> = .string("source", help: "a built-in data set name (digits) or a data file")
  static let features: Parameter<String?> = .path("features", extensions: ["npy", "npz", "csv", "tsv", "txt"], help: "feature matrix file (N × D)")
  static let labels: Parameter<String?> = .path("labels", extensions: ["npy", "npz", "csv", "txt"], help: "ground-truth labels (N), for the oracle and eval")
  static let images: Parameter<String?> = .path("images", extensions: ["npy", "npz"], help: "uint8 images N×H×W(×C), for query thumbnails")
  static let texts: Parameter<String?> = .path("texts", extensions: ["txt"], help: "one text per line, for text queries")
  static let assignment: Parameter<String?> = .path("assignment", extensions: ["npy", "csv", "txt"],
                                                    help: "a pre-trained model's cluster ids (N) to start from")
  static let labelColumn: Parameter<String?> = .string("label_column", help: "CSV: the label column (name, index, or 'last')")
  static let name: Parameter<String?> = .string("name", help: "a name for the data set")
  static let mapped: Parameter<FeatureMatrix.Mapping> = .choice(
    "mapped", default: .auto,
    help: "memory-map a float32 .npy instead of reading it (auto: from 256 MiB); only the normalised copy stays in memory")
  static let transcript = Transcript.recorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    var csv = CSVReader.Options()
    if let column = args[labelColumn] { csv.labelColumn = CSVReader.LabelColumn(column) }
    let dataSet: DataSet
    if let features = args[features] {
      if args[source] != nil { throw args.error("give either a data set or features=FILE, not both", at: source) }
      dataSet = try DataSet.load(features: features, labels: args[labels], images: args[images],
                                 texts: args[texts], name: args[name], csv: csv, mapped: args[mapped])
    } else if let source = args[source] {
      var loaded = try DataSet.open(source, csv: csv, mapped: args[mapped])
      if let labels = args[labels] {
        loaded = try loaded.relabelled(try NPYReader.read(path: labels).asLabels())
      }
      if let name = args[name] { loaded.name = name }
      dataSet = loaded
    } else {
      throw args.error("nothing to load", help: "try 'load digits' or 'load features=\"f.npy\" labels=\"y.npy\"'")
    }
    let ws = context.workspace
    try ws.install(dataSet)
    var parts = ["\(dataSet.name): \(dataSet.count) samples × \(dataSet.dimension) features"]
    if let labels = dataSet.labels { parts.append("\(Set(labels).count) classes") }
    if let images = dataSet.images { parts.append("images \(images.shape.dropFirst().map(String.init).joined(separator: "×"))") }
    if dataSet.texts != nil { parts.append("texts") }
    context.say(parts.joined(separator: ", "))
    if case .mapped(let file) = dataSet.features {
      context.note("memory-mapped: \(file.path) (\(megabytes(dataSet.count * dataSet.dimension * 4)) of float32 read from the file when needed; only the normalised copy is held in memory)")
    }
    let zeroRows = ws.z.zeroRows()
    if !zeroRows.isEmpty {
      let shown = zeroRows.prefix(10).map(String.init).joined(separator: ", ") + (zeroRows.count > 10 ? ", …" : "")
      context.note("warning: \(zeroRows.count) row\(zeroRows.count == 1 ? " is" : "s are") all zeros (\(shown)): a zero vector has no direction, so its cosine similarity is undefined; such rows stay zero, take no part in k-means centres and are assigned to cluster 0")
    }
    if let path = args[assignment] {
      let assignment = try readAssignment(path, count: dataSet.count)
      let centers = try centersOfAssignment(ws.z, assignment: assignment)
      ws.setPretrained(assignment, centers: centers, source: "assignment from \(path)")
      context.say("pre-trained model: \(centers.rows) clusters from \(path) (centres = mean feature of each cluster)")
    }
    return nil
  }

  static func readAssignment(_ path: String, count: Int) throws -> [Int] {
    let ids: [Int]
    if path.hasSuffix(".npy") {
      ids = try NPYReader.read(path: path).asLabels()
    } else {
      let table = try CSVReader.read(path: path, options: CSVReader.Options(header: .auto))
      ids = table.features.storage.map { Int($0) }
    }
    guard ids.count == count else { throw DataError(path: path, message: "has \(ids.count) cluster ids but there are \(count) samples") }
    if let bad = ids.firstIndex(where: { $0 < 0 }) { throw DataError(path: path, message: "cluster id \(ids[bad]) at \(bad) is negative") }
    return ids
  }
}
