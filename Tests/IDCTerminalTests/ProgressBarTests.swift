import Foundation
import Testing

@testable import IDCTerminal

struct ProgressBarRenderTests {
  @Test func barPercentCountsElapsedAndETA() {
    let line = ProgressBar.render(label: "kmeans", done: 46, total: 100, elapsed: .seconds(12), width: 80)
    let bar = String(repeating: "#", count: 18) + String(repeating: "-", count: 22)
    #expect(line == "kmeans [\(bar)]  46%  46/100  00:12 ETA 00:14")
    #expect(line.count <= 79)
  }

  @Test func startAndEnd() {
    #expect(ProgressBar.render(label: "train", done: 0, total: 50, elapsed: .zero, width: 60)
      == "train [\(String(repeating: "-", count: 23))]   0%  0/50  00:00 ETA --:--")
    #expect(ProgressBar.render(label: "train", done: 50, total: 50, elapsed: .seconds(3725), width: 60)
      == "train [\(String(repeating: "#", count: 20))] 100%  50/50  1:02:05 ETA 00:00")
    // Out-of-range counts are clamped.
    #expect(ProgressBar.render(label: "t", done: 70, total: 50, elapsed: .seconds(1), width: 60).contains("100%  50/50"))
  }

  @Test func unknownTotalShowsCountAndElapsed() {
    #expect(ProgressBar.render(label: "load", done: 123, total: 0, elapsed: .milliseconds(3500), width: 80)
      == "load  123  00:03")
  }

  @Test func narrowTerminalsDropTheBarThenCutTheLabel() {
    let noBar = ProgressBar.render(label: "kmeans", done: 1, total: 4, elapsed: .seconds(2), width: 40)
    #expect(noBar == "kmeans   25%  1/4  00:02 ETA 00:06")
    let cut = ProgressBar.render(label: "a long label for tsne", done: 1, total: 4, elapsed: .seconds(2), width: 36)
    #expect(cut == "a long…   25%  1/4  00:02 ETA 00:06")
    #expect(cut.count == 35)
    let tiny = ProgressBar.render(label: "kmeans", done: 1, total: 4, elapsed: .seconds(2), width: 10)
    #expect(tiny.count == 9)
  }

  @Test func wideTerminalsCapTheBarAt40() {
    let line = ProgressBar.render(label: "x", done: 1, total: 2, elapsed: .seconds(1), width: 200)
    #expect(line.hasPrefix("x [" + String(repeating: "#", count: 20) + String(repeating: "-", count: 20) + "]"))
  }

  @Test func durations() {
    #expect(ProgressBar.formatDuration(0) == "00:00")
    #expect(ProgressBar.formatDuration(59.9) == "00:59")
    #expect(ProgressBar.formatDuration(61) == "01:01")
    #expect(ProgressBar.formatDuration(3600) == "1:00:00")
    #expect(ProgressBar.formatDuration(-1) == "--:--")
    #expect(ProgressBar.formatDuration(.infinity) == "--:--")
    #expect(ProgressBar.formatDuration(.nan) == "--:--")
  }
}

struct ProgressBarDrawingTests {
  @Test func nothingIsDrawnWhenNotATerminal() {
    let pipe = CapturePipe()
    defer { pipe.close() }
    let bar = ProgressBar(fileDescriptor: pipe.writeEnd)
    #expect(!bar.isEnabled)
    bar.update(label: "kmeans", done: 1, total: 10)
    bar.finish()
    #expect(pipe.drain().isEmpty)
  }

  @Test func redrawsAreThrottledAndFinishClearsTheLine() throws {
    let pipe = CapturePipe()
    defer { pipe.close() }
    let bar = ProgressBar(fileDescriptor: pipe.writeEnd, isEnabled: true, minimumInterval: .seconds(60))
    bar.update(label: "kmeans", done: 1, total: 10)
    bar.update(label: "kmeans", done: 2, total: 10)  // within the interval: not drawn
    bar.update(label: "kmeans", done: 3, total: 10)
    let drawn = pipe.drain()
    #expect(drawn.hasPrefix("\rkmeans ["))
    #expect(drawn.hasSuffix("\u{1B}[K"))
    #expect(drawn.contains("1/10"))
    #expect(drawn.components(separatedBy: "\r").count == 2)
    bar.finish()
    #expect(pipe.drain() == "\r\u{1B}[K")
    bar.finish()  // nothing shown: nothing to clear
    #expect(pipe.drain().isEmpty)
  }

  @Test func atMostTenRedrawsPerSecondByDefault() throws {
    let pipe = CapturePipe()
    defer { pipe.close() }
    let bar = ProgressBar(fileDescriptor: pipe.writeEnd, isEnabled: true)
    let clock = ContinuousClock()
    let start = clock.now
    var done = 0
    while start.duration(to: clock.now) < .milliseconds(350) {
      done += 1
      bar.update(label: "train", done: done, total: 1_000_000_000)
    }
    let redraws = pipe.drain().components(separatedBy: "\r").count - 1
    #expect(redraws >= 1)
    #expect(redraws <= 5)
  }

  @Test func concurrentUpdatesDrawWholeFrames() {
    let pipe = CapturePipe()
    defer { pipe.close() }
    let bar = ProgressBar(fileDescriptor: pipe.writeEnd, isEnabled: true, minimumInterval: .zero)
    let report = bar.report
    DispatchQueue.concurrentPerform(iterations: 200) { index in
      report("tsne", index, 200)
    }
    bar.finish()
    let frames = pipe.drain().components(separatedBy: "\r").dropFirst()
    #expect(frames.count == 201)
    for frame in frames.dropLast() {
      #expect(frame.hasPrefix("tsne [") && frame.hasSuffix("\u{1B}[K"))
    }
  }
}
