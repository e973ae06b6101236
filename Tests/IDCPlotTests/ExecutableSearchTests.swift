import Foundation
import Testing

@testable import IDCPlot

@Suite struct ExecutableSearchTests {
  @Test func findsTheFirstExecutableFileOnThePath() throws {
    let directory = try pictureDirectory("search")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let plain = directory + "/plain", tool = directory + "/tool"
    try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: tool, withIntermediateDirectories: true)
    #expect(FileManager.default.createFile(atPath: plain + "/gnuplot", contents: Data("x".utf8), attributes: [.posixPermissions: 0o644]))
    #expect(FileManager.default.createFile(atPath: tool + "/gnuplot", contents: Data("x".utf8), attributes: [.posixPermissions: 0o755]))
    #expect(ExecutableSearch.find("gnuplot", in: "\(directory)/none:\(plain):\(tool)") == tool + "/gnuplot")
    #expect(ExecutableSearch.find("gnuplot", in: plain) == nil)
    try FileManager.default.createDirectory(atPath: directory + "/dirs/gnuplot", withIntermediateDirectories: true)
    #expect(ExecutableSearch.find("gnuplot", in: directory + "/dirs") == nil, "a directory is not an executable")
  }
}
