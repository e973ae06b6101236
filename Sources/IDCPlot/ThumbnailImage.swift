/// One small 8-bit image (H×W×C, row-major, C = 1 for grey or 3 for RGB), as
/// stored in a data set's images array.
public struct ThumbnailImage: Sendable, Equatable {
  /// `height * width * channels` bytes, row by row, channels interleaved.
  public var pixels: [UInt8]
  public var height: Int
  public var width: Int
  public var channels: Int

  /// An image from its own bytes. Sizes are checked when a plot uses it.
  public init(pixels: [UInt8], height: Int, width: Int, channels: Int) {
    self.pixels = pixels
    self.height = height
    self.width = width
    self.channels = channels
  }

  /// Image `index` of a batch stored as N×H×W×C bytes.
  ///
  /// - Precondition: the batch holds at least `index + 1` images of that shape.
  public init(batch: [UInt8], index: Int, height: Int, width: Int, channels: Int) {
    let size = height * width * channels
    precondition(index >= 0 && (index + 1) * size <= batch.count, "image \(index) is outside the batch")
    self.init(pixels: Array(batch[index * size ..< (index + 1) * size]), height: height, width: width, channels: channels)
  }

  /// Throws unless the shape is positive, C is 1 or 3, and the byte count matches.
  func validate(_ what: String) throws(PlotError) {
    guard height > 0, width > 0, channels == 1 || channels == 3 else {
      throw .invalidInput("\(what) has shape \(height)×\(width)×\(channels); need H, W > 0 and 1 or 3 channels")
    }
    guard pixels.count == height * width * channels else {
      throw .invalidInput("\(what) has \(pixels.count) bytes, its shape \(height)×\(width)×\(channels) needs \(height * width * channels)")
    }
  }

  /// A datablock with one row per pixel, `x y v` (grey) or `x y r g b`, with
  /// row 0 at the top: pixel (r, c) sits at (`left + c`, `top − r`).
  func datablock(named name: String, left: Int, top: Int) -> Datablock {
    var block = Datablock(name: name)
    block.lines.reserveCapacity(height * width)
    for r in 0..<height {
      for c in 0..<width {
        let base = (r * width + c) * channels
        var line = "\(left + c) \(top - r)"
        for channel in 0..<channels { line += " \(pixels[base + channel])" }
        block.lines.append(line)
      }
    }
    return block
  }

  /// The `using` columns that feed `with rgbimage` (grey repeats its value).
  var rgbColumns: String { channels == 1 ? "1:2:3:3:3" : "1:2:3:4:5" }
}
