// BenchTSNE: runs IDCCore's t-SNE on the first rows of a float32 .npy matrix
// and writes the embedding as a float32 .npy, for scripts/bench-tsne.sh.
//
// usage: BenchTSNE IN.npy OUT.npy [--rows N] [--seed S] [--threads T]
//                  [--method auto|exact|fft] [--iterations N] [--learning-rate auto|ETA]
//                  [--points P] [--interval-width W] [--min-intervals M]
// prints one line: `seconds=… kl=… n=… d=… iterations=… method=…`; the time
// covers affinities (kNN), initialisation and optimisation, not the file I/O.
// TSNE_BENCH_VERBOSE=1 also prints progress and the KL every 50 iterations.
import Dispatch
import Foundation
import IDCCore

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("BenchTSNE: \(message)\n".utf8))
  exit(2)
}

/// Reads a little-endian float32 (or float64) C-order 2-D .npy file.
func readNpy(_ path: String, maxRows: Int?) -> Matrix {
  guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
  let bytes = [UInt8](data)
  guard bytes.count > 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else { fail("\(path) is not .npy") }
  let major = bytes[6]
  let headerLength = major == 1 ? Int(bytes[8]) | Int(bytes[9]) << 8
    : Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
  let start = major == 1 ? 10 : 12
  let header = String(decoding: bytes[start ..< start + headerLength], as: UTF8.self)
  guard !header.contains("'fortran_order': True") else { fail("Fortran order unsupported") }
  let isDouble = header.contains("<f8")
  guard isDouble || header.contains("<f4") else { fail("dtype must be <f4 or <f8: \(header)") }
  guard let open = header.firstIndex(of: "("), let close = header.firstIndex(of: ")") else { fail("no shape") }
  let dims = header[header.index(after: open) ..< close].split(separator: ",")
    .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
  guard dims.count == 2 else { fail("expected a 2-D array, shape \(dims)") }
  let rows = min(dims[0], maxRows ?? dims[0]), columns = dims[1]
  let body = start + headerLength
  var out = Matrix(rows: rows, columns: columns)
  bytes.withUnsafeBytes { raw in
    for e in 0..<(rows * columns) {
      out.storage[e] = isDouble
        ? Float(raw.loadUnaligned(fromByteOffset: body + 8 * e, as: Double.self))
        : raw.loadUnaligned(fromByteOffset: body + 4 * e, as: Float.self)
    }
  }
  return out
}

func writeNpy(_ m: Matrix, to path: String) {
  var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(m.rows), \(m.columns)), }"
  while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
  header += "\n"
  var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
  let length = UInt16(header.utf8.count)
  data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
  data.append(contentsOf: Array(header.utf8))
  m.storage.withUnsafeBufferPointer { data.append(Data(buffer: $0)) }
  guard FileManager.default.createFile(atPath: path, contents: data) else { fail("cannot write \(path)") }
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else { fail("usage: BenchTSNE IN.npy OUT.npy [--rows N] [--seed S] [--method auto|exact|fft] [--threads T]") }
let input = arguments.removeFirst(), output = arguments.removeFirst()
var rows: Int?
var tsne = TSNE()
while !arguments.isEmpty {
  let flag = arguments.removeFirst()
  guard let value = arguments.first else { fail("\(flag) needs a value") }
  arguments.removeFirst()
  switch flag {
  case "--rows": rows = Int(value)
  case "--seed": tsne.seed = Int(value) ?? 0
  case "--threads": tsne.threads = Int(value) ?? 2
  case "--iterations": tsne.iterations = Int(value) ?? 500
  case "--interval-width": tsne.intervalWidth = Double(value) ?? 1
  case "--points": tsne.interpolationPoints = Int(value) ?? 3
  case "--min-intervals": tsne.minIntervals = Int(value) ?? 50
  case "--learning-rate": tsne.learningRate = value == "auto" ? .auto : .fixed(Double(value) ?? 200)
  case "--method":
    switch value {
    case "exact": tsne.method = .exact
    case "fft": tsne.method = .fft
    default: tsne.method = .auto
    }
  default: fail("unknown flag \(flag)")
  }
}
let x = readNpy(input, maxRows: rows)
BLAS.setThreadCount(tsne.threads)
let verbose = ProcessInfo.processInfo.environment["TSNE_BENCH_VERBOSE"] != nil
let clock = ContinuousClock()
let began = clock.now
let monitor = WorkMonitor(progress: { label, done, total in
  if verbose && label == "t-SNE" && done % 50 == 0 {
    FileHandle.standardError.write(Data("\(label) \(done)/\(total) \(clock.now - began)\n".utf8))
  }
})
do {
  let result = try tsne.fit(x, monitor: monitor)
  let elapsed = clock.now - began
  let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  writeNpy(result.embedding, to: output)
  if verbose {
    for s in result.stats { FileHandle.standardError.write(Data("iter \(s.iteration) kl \(s.klDivergence)\n".utf8)) }
  }
  print("seconds=\(seconds) kl=\(result.klDivergence) n=\(x.rows) d=\(x.columns) iterations=\(result.iterations) method=\(result.method)")
} catch {
  fail("\(error)")
}
