/// A picture that can be written as a gnuplot script: the one shape shared by
/// every plot kind of idc (embedding map, selection comparison, curves,
/// training curves, histograms, query sheets).
///
/// A conforming type holds plain input values and builds its datablocks and
/// commands purely; ``script(for:)`` adds the terminal and output lines for a
/// target, and ``GnuplotSession/render(_:to:)`` runs the result.
public protocol GnuplotPlot: Sendable {
  /// The size used when the target does not give one (pixels).
  var preferredSize: PlotSize { get }

  /// The datablocks and drawing commands, without `set terminal`/`set output`.
  ///
  /// `target` lets a plot adapt to the terminal: text output draws group ids
  /// as characters and skips images.
  ///
  /// - Throws: ``PlotError/invalidInput(_:)`` when the inputs disagree.
  func body(for target: PlotTarget) throws(PlotError) -> GnuplotScript
}

extension GnuplotPlot {
  /// The complete script for `target`: terminal and output setup, the
  /// plot's ``body(for:)``, and the commands that close the output file.
  public func script(for target: PlotTarget) throws(PlotError) -> GnuplotScript {
    var script = try body(for: target)
    script.commands = target.setupCommands(preferred: preferredSize) + script.commands + target.finishCommands
    return script
  }
}
