import IDCCore

/// A data set as idc works on it: N feature rows, and optionally their
/// ground-truth labels, class names, images and texts, all validated
/// against each other.
///
/// Invariants, checked by every initialiser and loader with an error naming
/// the offending file: features are non-empty (≥ 1 row, ≥ 1 column) and
/// finite; `labels`, `images` (uint8 `N×H×W×C`) and `texts` have one entry
/// per feature row; with `classNames`, every label is an index into them.
/// Labels may be any integers otherwise (ids need not be contiguous).
public struct DataSet: Sendable {
  public var name: String
  /// N × D, row-major Float: in memory, or a memory-mapped `.npy` (``FeatureMatrix``).
  public var features: FeatureMatrix
  public var labels: [Int]?
  public var classNames: [String]?
  /// uint8, shape `N×H×W×C`.
  public var images: NDArray?
  public var texts: [String]?

  /// Validates and wraps the parts; messages name the parts
  /// (`<name> features`, `<name> labels`...) since there are no files.
  public init(
    name: String, features: Matrix, labels: [Int]? = nil, classNames: [String]? = nil,
    images: NDArray? = nil, texts: [String]? = nil
  ) throws {
    try self.init(
      name: name, features: .memory(features), labels: labels, classNames: classNames, images: images, texts: texts,
      origins: Origins(name: name)
    )
  }

  /// The same data set with other labels (and class names), checked as at load.
  public func relabelled(_ labels: [Int], classNames: [String]? = nil) throws -> DataSet {
    try DataSet(name: name, features: features, labels: labels, classNames: classNames, images: images, texts: texts,
                origins: Origins(name: name))
  }

  /// Where each part came from, for error messages.
  struct Origins {
    var features: String
    var labels: String
    var classNames: String
    var images: String
    var texts: String

    init(name: String) {
      features = "\(name) features"
      labels = "\(name) labels"
      classNames = "\(name) classes"
      images = "\(name) images"
      texts = "\(name) texts"
    }

    init(features: String, labels: String?, classNames: String?, images: String?, texts: String?) {
      self.features = features
      self.labels = labels ?? features
      self.classNames = classNames ?? self.labels
      self.images = images ?? features
      self.texts = texts ?? features
    }
  }

  init(
    name: String, features: FeatureMatrix, labels: [Int]?, classNames: [String]?, images: NDArray?, texts: [String]?,
    origins: Origins
  ) throws {
    let rows = features.rows
    guard rows > 0 else { throw DataError(path: origins.features, message: "empty: no rows") }
    guard features.columns > 0 else { throw DataError(path: origins.features, message: "empty: no feature columns") }
    if let (r, c, value) = try features.firstNonFinite() {
      let what = value.isNaN ? "NaN" : (value < 0 ? "-Inf" : "Inf")
      throw DataError(path: origins.features, message: "\(what) at row \(r), column \(c) (0-based)")
    }
    if let labels {
      guard labels.count == rows else {
        throw DataError(path: origins.labels, message: "features have \(rows) rows but labels have \(labels.count)")
      }
      if let classNames, let i = labels.firstIndex(where: { $0 < 0 || $0 >= classNames.count }) {
        throw DataError(path: origins.labels, message: "label \(labels[i]) at row \(i) has no class name (\(classNames.count) classes, ids 0...\(classNames.count - 1))")
      }
    }
    if let images {
      guard images.dtype == .uint8, images.rank == 4 else {
        throw DataError(path: origins.images, message: "images must be uint8 N×H×W×C, got \(images.dtype.rawValue) \(images.shapeDescription)")
      }
      guard images.shape[0] == rows else {
        throw DataError(path: origins.images, message: "features have \(rows) rows but images have \(images.shape[0])")
      }
    }
    if let texts, texts.count != rows {
      throw DataError(path: origins.texts, message: "features have \(rows) rows but texts have \(texts.count)")
    }
    self.name = name
    self.features = features
    self.labels = labels
    self.classNames = classNames
    self.images = images
    self.texts = texts
  }

  /// Number of rows N.
  public var count: Int { features.rows }
  /// Feature dimension D.
  public var dimension: Int { features.columns }

  /// Writes the data set as an `.npz` that numpy and ``DataSet/load(path:csv:)`` read:
  /// `features` (float32 N×D), `labels` (int64 N), `images` (uint8
  /// N×H×W×C), `classes` and `texts` (unicode strings), each only when present.
  /// Deflated by default (`np.savez_compressed`).
  public func writeNPZ(to path: String, compressed: Bool = true) throws {
    var arrays: [(key: String, array: NDArray)] = [("features", NDArray(try features.matrix()))]
    if let labels { arrays.append(("labels", NDArray(labels: labels))) }
    if let images { arrays.append(("images", images)) }
    if let classNames { arrays.append(("classes", NDArray(strings: classNames))) }
    if let texts { arrays.append(("texts", NDArray(strings: texts))) }
    try NPZArchive.write(arrays, to: path, compressed: compressed)
  }
}
