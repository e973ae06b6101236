/// Colours, markers and sizes shared by every plot, chosen once so that the
/// pictures of one session look alike.
///
/// Group colours are Tableau's 20 categorical colours (as in matplotlib's
/// `tab20`) with the reds removed: red is reserved for the
/// selected samples, which must stand out on any cluster (the paper's Fig. 3; docs/method.md §8).
public enum PlotStyle {
  /// The colour of selected/highlighted samples and of the "none" answer.
  public static let highlightColor = "#e8000b"
  /// The frame colour of the chosen candidate on a query sheet.
  public static let answerColor = "#1a9e1a"
  /// Background points when there are no groups.
  public static let neutralColor = "#4c72b0"

  /// Nineteen categorical colours without red: ten strong ones (`tab10`
  /// with navy in place of red, so the usual ten clusters all read clearly),
  /// then the light shades of `tab20`.
  public static let groupColors = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79",
    "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
  ]

  /// Line colours for curves (strategies, losses), the usual `tab10` order.
  public static let seriesColors = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
  ]

  /// Filled marker shapes for curves: circle, square, triangle, diamond,
  /// inverted triangle, pentagon.
  public static let seriesPointTypes = [7, 5, 9, 13, 11, 15]

  /// Characters that stand for groups on the `dumb` terminal: the group's
  /// position as a digit or letter, so a text map can be read like a legend.
  public static let groupCharacters = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  /// The `dumb` character for highlighted samples.
  public static let highlightCharacter: Character = "@"

  /// The colour of the group at position `ordinal` (cycling).
  public static func groupColor(_ ordinal: Int) -> String {
    groupColors[ordinal % groupColors.count]
  }

  /// The colour of the series at position `ordinal` (cycling).
  public static func seriesColor(_ ordinal: Int) -> String {
    seriesColors[ordinal % seriesColors.count]
  }

  /// The marker of the series at position `ordinal` (cycling).
  public static func seriesPointType(_ ordinal: Int) -> Int {
    seriesPointTypes[ordinal % seriesPointTypes.count]
  }

  /// The `dumb` character of the group at position `ordinal` (cycling).
  public static func groupCharacter(_ ordinal: Int) -> Character {
    groupCharacters[ordinal % groupCharacters.count]
  }

  /// `color` ("#rrggbb") with gnuplot's transparency byte: `"#AArrggbb"`, where
  /// `transparency` 0 is opaque and 1 invisible.
  public static func translucent(_ color: String, transparency: Double) -> String {
    let byte = Int((min(max(transparency, 0), 1) * 255).rounded())
    let hex = String(byte, radix: 16)
    return "#" + (hex.count == 1 ? "0" + hex : hex) + color.dropFirst()
  }

  /// A marker size for `count` highlighted points: 1.6 up to about 60, then
  /// shrinking so 500 markers do not hide the map (`4.5 / count^(1/4)`, at least 0.8).
  public static func highlightPointSize(count: Int) -> Double {
    let size = 4.5 / Double(max(count, 1)).squareRoot().squareRoot()
    return (min(1.6, max(0.8, size)) * 100).rounded() / 100
  }

  /// A marker size for `count` background points: large for a few hundred,
  /// small for tens of thousands (`2.6 / count^(1/4)`, between 0.25 and 1).
  public static func backgroundPointSize(count: Int) -> Double {
    let size = 2.6 / Double(max(count, 1)).squareRoot().squareRoot()
    return (min(1, max(0.25, size)) * 100).rounded() / 100
  }
}
