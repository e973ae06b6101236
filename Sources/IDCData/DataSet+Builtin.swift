import IDCText
import Foundation

extension DataSet {
  /// Loads the built-in data set `name` (e.g. `"digits"`), found as
  /// ``DataSetSearchPath`` describes.
  ///
  /// An unknown name is an error listing the known names, with a "did you
  /// mean" for a likely typo, and the directories searched.
  public static func builtin(_ name: String, search: DataSetSearchPath = .current,
                             mapped: FeatureMatrix.Mapping = .auto) throws -> DataSet {
    guard let path = search.locate(name) else {
      let known = search.names
      let suggestion = EditDistance.suggestion(for: name, among: known).map { " (did you mean '\($0)'?)" } ?? ""
      let directories = search.directories
      throw DataError(
        path: name,
        message: "unknown data set\(suggestion); known: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
          + "; searched: \(directories.isEmpty ? "no data directory found" : directories.joined(separator: ", "))"
      )
    }
    var dataSet = try load(path: path, mapped: mapped)
    dataSet.name = name
    return dataSet
  }

  /// Loads `nameOrPath`: a file when one exists at that path or the text has
  /// a `/` or a data-file extension, else a built-in data set.
  public static func open(_ nameOrPath: String, search: DataSetSearchPath = .current, csv: CSVReader.Options = CSVReader.Options(),
                          mapped: FeatureMatrix.Mapping = .auto) throws -> DataSet {
    let looksLikePath = nameOrPath.contains("/")
      || ["npy", "npz", "csv", "tsv", "tab", "txt", "json"].contains(fileExtension(nameOrPath))
    if looksLikePath || FileManager.default.fileExists(atPath: nameOrPath) {
      return try load(path: nameOrPath, csv: csv, mapped: mapped)
    }
    return try builtin(nameOrPath, search: search, mapped: mapped)
  }
}
