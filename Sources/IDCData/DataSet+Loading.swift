import Foundation
import IDCCore

extension DataSet {
  /// Loads a data set from a file, chosen by extension:
  /// - `.json`: a sidecar, see ``load(json:)``;
  /// - `.npz`: arrays `features` (or the only array), and when present
  ///   `labels`, `images`, `classes`, `texts`;
  /// - `.npy`, `.csv`, `.tsv`, `.tab`, `.txt`: features only (with CSV
  ///   labels when `csv.labelColumn` is set).
  public static func load(path: String, csv: CSVReader.Options = CSVReader.Options(),
                          mapped: FeatureMatrix.Mapping = .auto) throws -> DataSet {
    if fileExtension(path) == "json" { return try load(json: path, mapped: mapped) }
    return try load(features: path, csv: csv, mapped: mapped)
  }

  /// Loads a data set from explicit files.
  ///
  /// - `features`: `.npy` (2-D numeric), `.npz` (as in ``load(path:csv:)``)
  ///   or CSV/TSV text read with `csv`.
  /// - `labels`: `.npy`/`.npz` (1-D integers, integral floats, or strings),
  ///   or text with one label per line (`#` comments and blank lines
  ///   skipped; a first line that is not an integer while all others are is
  ///   a header). Labels that are not all integers become class names,
  ///   numbered in sorted order. Replaces the labels and class names found
  ///   with the features.
  /// - `images`: `.npy`/`.npz`, uint8 `N×H×W×C` or `N×H×W`.
  /// - `texts`: UTF-8 text, one row's text per line (kept verbatim).
  /// - `classNames`: overrides any class names found in the files.
  /// - `name`: defaults to the features file name without its extension
  ///   (and without a `.features` suffix).
  public static func load(
    features: String, labels: String? = nil, images: String? = nil, texts: String? = nil,
    classNames: [String]? = nil, name: String? = nil, csv: CSVReader.Options = CSVReader.Options(),
    mapped: FeatureMatrix.Mapping = .auto
  ) throws -> DataSet {
    var parts = try readFeatures(path: features, csv: csv, mapped: mapped)
    if let labels {
      (parts.labels, parts.classNames) = try readLabels(path: labels)
      parts.origins.labels = labels
      parts.origins.classNames = labels
    }
    if let images {
      parts.images = try readArray(path: images, key: "images").asUInt8Images()
      parts.origins.images = images
    }
    if let texts {
      parts.texts = try readLines(path: texts)
      parts.origins.texts = texts
    }
    if let classNames {
      parts.classNames = classNames
    }
    return try DataSet(
      name: name ?? defaultName(for: features), features: parts.features, labels: parts.labels,
      classNames: parts.classNames, images: parts.images, texts: parts.texts, origins: parts.origins
    )
  }

  /// Loads the data set a JSON sidecar describes.
  ///
  /// Uses the keys `files` (an object whose `features`, and optional
  /// `labels`, `images`, `texts`, name files relative to the JSON's
  /// directory), `classes` (class names, label id order) and `name`
  /// (default: the JSON file name). Other keys are ignored.
  public static func load(json path: String, mapped: FeatureMatrix.Mapping = .auto) throws -> DataSet {
    let bytes = try InputFile(path: path).readAll()
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(bytes))
    } catch {
      throw DataError(path: path, message: "invalid JSON: \((error as NSError).localizedDescription)")
    }
    guard let root = object as? [String: Any] else { throw DataError(path: path, message: "expected a JSON object") }
    guard let files = root["files"] as? [String: Any], let features = files["features"] as? String else {
      throw DataError(path: path, message: "missing \"files\": {\"features\": \"<file>\", ...}")
    }
    func file(_ key: String) throws -> String? {
      guard let value = files[key] else { return nil }
      guard let relative = value as? String else { throw DataError(path: path, message: "\"files.\(key)\" must be a file name") }
      return resolve(relative, against: path)
    }
    var classNames: [String]?
    if let classes = root["classes"] {
      guard let list = classes as? [Any] else { throw DataError(path: path, message: "\"classes\" must be a list of names") }
      classNames = list.map { ($0 as? String) ?? "\($0)" }
    }
    return try load(
      features: resolve(features, against: path), labels: file("labels"), images: file("images"), texts: file("texts"),
      classNames: classNames, name: (root["name"] as? String) ?? defaultName(for: path), mapped: mapped
    )
  }

  // MARK: - Parts

  struct Parts {
    var features: FeatureMatrix
    var labels: [Int]?
    var classNames: [String]?
    var images: NDArray?
    var texts: [String]?
    var origins: Origins
  }

  static func readFeatures(path: String, csv: CSVReader.Options, mapped: FeatureMatrix.Mapping) throws -> Parts {
    switch fileExtension(path) {
    case "npy":
      let header = try NPYReader.readHeader(path: path)
      let features: FeatureMatrix
      if mapped == .on || (mapped == .auto && header.byteCount >= FeatureMatrix.mappingThreshold),
         let file = try MappedFeatures.map(path: path) {
        features = .mapped(file)
      } else {
        features = .memory(try NPYReader.read(path: path).asMatrix())
      }
      return Parts(features: features, origins: Origins(features: path, labels: nil, classNames: nil, images: nil, texts: nil))
    case "npz":
      let archive = try NPZArchive(path: path)
      let featuresKey: String
      if archive.keys.contains("features") {
        featuresKey = "features"
      } else if archive.keys.count == 1 {
        featuresKey = archive.keys[0]
      } else {
        throw DataError(path: path, message: "no array named 'features'; arrays: \(archive.keys.joined(separator: ", "))")
      }
      func origin(_ key: String) -> String? { archive.keys.contains(key) ? "\(path)[\(key)]" : nil }
      var parts = Parts(
        features: .memory(try archive.array(featuresKey).asMatrix()),
        origins: Origins(features: "\(path)[\(featuresKey)]", labels: origin("labels"), classNames: origin("classes"), images: origin("images"), texts: origin("texts"))
      )
      if archive.keys.contains("labels") { (parts.labels, parts.classNames) = try labels(from: archive.array("labels")) }
      if archive.keys.contains("images") { parts.images = try archive.array("images").asUInt8Images() }
      if archive.keys.contains("classes") { parts.classNames = try archive.array("classes").asStrings() }
      if archive.keys.contains("texts") { parts.texts = try archive.array("texts").asStrings() }
      return parts
    case "csv", "tsv", "tab", "txt":
      let table = try CSVReader.read(path: path, options: csv)
      return Parts(
        features: .memory(table.features), labels: table.labels, classNames: table.classNames,
        origins: Origins(features: path, labels: nil, classNames: nil, images: nil, texts: nil)
      )
    default:
      throw DataError(path: path, message: "unknown file type for features (use .npy, .npz, .csv, .tsv or a .json sidecar)")
    }
  }

  /// The array in a `.npy`, or the array `key` (else the only array) of an `.npz`.
  static func readArray(path: String, key: String) throws -> NDArray {
    switch fileExtension(path) {
    case "npy":
      return try NPYReader.read(path: path)
    case "npz":
      let archive = try NPZArchive(path: path)
      if archive.keys.count == 1 { return try archive.array(archive.keys[0]) }
      return try archive.array(key)
    default:
      throw DataError(path: path, message: "unknown file type for \(key) (use .npy or .npz)")
    }
  }

  static func readLabels(path: String) throws -> (labels: [Int], classNames: [String]?) {
    switch fileExtension(path) {
    case "npy", "npz":
      return try labels(from: readArray(path: path, key: "labels"))
    default:
      var lines = try readLines(path: path)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !$0.hasPrefix("#") }
      if lines.count >= 2, Int(lines[0]) == nil, lines.dropFirst().allSatisfy({ Int($0) != nil }) {
        lines.removeFirst()  // a header such as "label"
      }
      return CSVReader.encodeLabels(lines)
    }
  }

  /// Integer labels, or strings numbered as ``CSVReader/encodeLabels(_:)`` does.
  static func labels(from array: NDArray) throws -> (labels: [Int], classNames: [String]?) {
    if array.dtype == .string { return CSVReader.encodeLabels(try array.asStrings()) }
    return (try array.asLabels(), nil)
  }

  /// The lines of a UTF-8 text file, without their `\n` / `\r\n`; a final
  /// line break does not start an extra empty line.
  static func readLines(path: String) throws -> [String] {
    let text = try InputFile(path: path).readText()
    var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { raw in
      let line = Substring(raw)
      return String(line.hasSuffix("\r") ? line.dropLast() : line)
    }
    if lines.last == "" { lines.removeLast() }
    return lines
  }

  static func fileExtension(_ path: String) -> String {
    URL(fileURLWithPath: path).pathExtension.lowercased()
  }

  /// `dir/digits.features.npy` → `digits`; `dir/iris.csv` → `iris`.
  static func defaultName(for path: String) -> String {
    var name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    if name.hasSuffix(".features") { name.removeLast(".features".count) }
    return name
  }

  /// `relative` taken relative to the directory of `file` (absolute paths unchanged).
  static func resolve(_ relative: String, against file: String) -> String {
    if relative.hasPrefix("/") { return relative }
    let directory = (file as NSString).deletingLastPathComponent
    return directory.isEmpty ? relative : directory + "/" + relative
  }
}
