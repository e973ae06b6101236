/// The size of a picture: pixels for raster and vector terminals, character
/// cells for `dumb`.
public struct PlotSize: Sendable, Equatable, CustomStringConvertible {
  public var width: Int
  public var height: Int

  /// - Precondition: both sides positive.
  public init(width: Int, height: Int) {
    precondition(width > 0 && height > 0, "plot size must be positive")
    self.width = width
    self.height = height
  }

  public var description: String { "\(width)x\(height)" }
}
