/// Where a plot goes: text in the terminal, sixel graphics, a file, or a window.
///
/// Files choose their terminal by extension: `.png` → `pngcairo`, `.svg` →
/// `svg`, `.pdf` → `pdfcairo`. Text and sixel output are written by gnuplot to
/// its standard output, which ``GnuplotSession`` captures and returns. A window
/// target names a concrete window terminal; ``GnuplotSession/windowTarget(size:)``
/// finds one or explains that none exists. Terminals keep enhanced text on;
/// plots mark each of their texts `noenhanced` (``GnuplotScript/literal(_:)``)
/// so names such as `fmnist_effnet128` print as written.
public struct PlotTarget: Sendable, Equatable, CustomStringConvertible {
  /// The gnuplot terminal family.
  public enum Kind: Sendable, Equatable {
    /// ASCII art (`dumb`); `color` adds ANSI 256-colour escapes.
    case dumb(color: Bool)
    /// Sixel graphics (`sixelgd`) for terminals that show them (xterm -ti vt340, mlterm, foot, WezTerm).
    case sixel
    case png
    case svg
    case pdf
    /// An interactive window terminal such as `qt`, `wxt` or `x11`.
    case window(terminal: String)
  }

  public let kind: Kind
  /// The output file, for `.png`, `.svg` and `.pdf`.
  public let path: String?
  /// The size asked for; `nil` means the plot's ``GnuplotPlot/preferredSize``
  /// (or 100×32 characters for `dumb`).
  public let size: PlotSize?

  private init(kind: Kind, path: String?, size: PlotSize?) {
    self.kind = kind
    self.path = path
    self.size = size
  }

  /// Text output, `width`×`height` characters (gnuplot's default is 79×24).
  public static func dumb(width: Int = 100, height: Int = 32, color: Bool = false) -> PlotTarget {
    PlotTarget(kind: .dumb(color: color), path: nil, size: PlotSize(width: width, height: height))
  }

  /// Sixel graphics written to the captured standard output.
  public static func sixel(size: PlotSize? = nil) -> PlotTarget {
    PlotTarget(kind: .sixel, path: nil, size: size)
  }

  /// A picture file whose format follows the extension (case-insensitive).
  ///
  /// - Throws: ``PlotError/unsupportedFileExtension(path:)`` for anything but
  ///   `.png`, `.svg` and `.pdf`.
  public static func file(_ path: String, size: PlotSize? = nil) throws(PlotError) -> PlotTarget {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else {
      throw .unsupportedFileExtension(path: path)
    }
    let kind: Kind
    switch name[name.index(after: dot)...].lowercased() {
    case "png": kind = .png
    case "svg": kind = .svg
    case "pdf": kind = .pdf
    default: throw .unsupportedFileExtension(path: path)
    }
    return PlotTarget(kind: kind, path: path, size: size)
  }

  /// An interactive window of the named terminal (`qt`, `wxt`, `x11`, `aqua`).
  public static func window(terminal: String, size: PlotSize? = nil) -> PlotTarget {
    PlotTarget(kind: .window(terminal: terminal), path: nil, size: size)
  }

  /// Whether gnuplot writes the picture to its standard output (dumb, sixel).
  public var writesToStandardOutput: Bool {
    switch kind {
    case .dumb, .sixel: return true
    default: return false
    }
  }

  /// Most background points an embedding map draws on this terminal before it
  /// draws a seeded sample of them instead (``EmbeddingLayers``): text shows no
  /// more than a character per cell; SVG keeps every point as an element (about
  /// 105 bytes each: 50 000 points made 5.3 MB, so 40 000 keep a map under 5 MB);
  /// raster terminals saturate long before 200 000 translucent dots (a
  /// million-point PNG took 14.4 s, its 200 000-point sample 2.8 s and looks the
  /// same). Measured in docs/scale.md.
  public var backgroundPointLimit: Int {
    switch kind {
    case .dumb: return 20_000
    case .svg: return 40_000
    case .sixel, .png, .pdf, .window: return 200_000
    }
  }

  /// Whether the terminal draws text characters instead of graphics.
  public var isText: Bool {
    if case .dumb = kind { return true }
    return false
  }

  /// The `set terminal` and `set output` commands for a plot whose own
  /// preferred size is `preferred` (ignored when the target has a size).
  ///
  /// Sizes: pixels for png, svg, sixel and windows; characters for dumb;
  /// pdf converts pixels to inches at 100 pixels per inch.
  public func setupCommands(preferred: PlotSize) -> [String] {
    let size = self.size ?? preferred
    let w = size.width, h = size.height
    switch kind {
    case .dumb(let color):
      return ["set terminal dumb size \(w),\(h)\(color ? " ansi256" : "")", "set output"]
    case .sixel:
      return ["set terminal sixelgd size \(w),\(h) truecolor font \"Sans,\(fontSize(for: size))\"", "set output"]
    case .png:
      return [
        "set terminal pngcairo size \(w),\(h) font \"Sans,\(fontSize(for: size))\" background rgb \"white\"",
        "set output \(GnuplotScript.quoted(path ?? ""))",
      ]
    case .svg:
      return [
        "set terminal svg size \(w),\(h) font \"sans-serif,\(fontSize(for: size))\" background rgb \"white\"",
        "set output \(GnuplotScript.quoted(path ?? ""))",
      ]
    case .pdf:
      let inches = { (pixels: Int) in Datablock.format(Double(pixels) / 100) }
      return [
        "set terminal pdfcairo size \(inches(w))in,\(inches(h))in font \"Sans,\(fontSize(for: size) * 2 / 3)\"",
        "set output \(GnuplotScript.quoted(path ?? ""))",
      ]
    case .window(let terminal):
      return ["set terminal \(terminal) size \(w),\(h) font \"Sans,\(fontSize(for: size))\"", "set output"]
    }
  }

  /// The commands that finish the picture: closing the file flushes it to disk.
  public var finishCommands: [String] {
    switch kind {
    case .png, .svg, .pdf: return ["unset output"]
    case .dumb, .sixel, .window: return []
    }
  }

  /// A font size that keeps text readable as pictures grow: 11 pt at 800 px
  /// width, 16 pt at 1600 px, between 10 and 20.
  func fontSize(for size: PlotSize) -> Int {
    let shorter = min(size.width, Int(Double(size.height) * 4 / 3))
    return min(20, max(10, Int((Double(shorter) / 100).rounded()) + 3))
  }

  public var description: String {
    switch kind {
    case .dumb: return "dumb \(size?.description ?? "")"
    case .sixel: return "sixel"
    case .png, .svg, .pdf: return path ?? ""
    case .window(let terminal): return "\(terminal) window"
    }
  }
}
