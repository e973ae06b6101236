// bench-train: times idc's head training (IDCCore's HeadTrainer) and
// Cop-Kmeans on a real feature file, for scripts/bench-train.sh, which runs
// PyTorch on the same work (scripts/bench/bench_train_torch.py) and compares.
//
// usage: BenchTrain FEATURES.npy LABELS.npy [--epochs 100] [--answers 500] [--runs 3] [--init-steps 2000]
//
// The "pre-trained assignment" is the labels (so the head becomes confident
// as after a real initial fit); the answers follow a fixed rule both
// implementations share: anchor k is sample (7919·k + 13) mod N; 7 in 10
// answers are positive (the sample's label), the rest negative with the five
// clusters label+1 … label+5 (mod C) rejected.

import Foundation
import IDCCore

struct Options {
  var features = ""
  var labels = ""
  var epochs = 100
  var answers = 500
  var runs = 3
  var initSteps = 2000
}

func parseOptions() -> Options {
  var options = Options()
  var positional: [String] = []
  var args = CommandLine.arguments.dropFirst()
  while let arg = args.popFirst() {
    switch arg {
    case "--epochs": options.epochs = Int(args.popFirst() ?? "") ?? options.epochs
    case "--answers": options.answers = Int(args.popFirst() ?? "") ?? options.answers
    case "--runs": options.runs = Int(args.popFirst() ?? "") ?? options.runs
    case "--init-steps": options.initSteps = Int(args.popFirst() ?? "") ?? options.initSteps
    default: positional.append(arg)
    }
  }
  guard positional.count == 2 else {
    FileHandle.standardError.write("usage: BenchTrain FEATURES.npy LABELS.npy [--epochs N] [--answers M] [--runs R] [--init-steps S]\n".data(using: .utf8)!)
    exit(2)
  }
  options.features = positional[0]
  options.labels = positional[1]
  return options
}

/// A minimal reader for C-order little-endian .npy files of '<f4' or '<i8'.
func readNpy(_ path: String) -> (descr: String, shape: [Int], payload: Data) {
  guard let data = FileManager.default.contents(atPath: path), data.count > 10,
        data.prefix(6) == Data([0x93] + Array("NUMPY".utf8)) else {
    fatalError("\(path): not a .npy file")
  }
  let major = data[data.startIndex + 6]
  let headerLength: Int
  let headerStart: Int
  if major == 1 {
    headerLength = Int(data[data.startIndex + 8]) | Int(data[data.startIndex + 9]) << 8
    headerStart = 10
  } else {
    headerLength = (0..<4).reduce(0) { $0 | Int(data[data.startIndex + 8 + $1]) << (8 * $1) }
    headerStart = 12
  }
  let header = String(decoding: data[(data.startIndex + headerStart)..<(data.startIndex + headerStart + headerLength)], as: UTF8.self)
  guard !header.contains("'fortran_order': True") else { fatalError("\(path): Fortran order not supported") }
  let descr = header.components(separatedBy: "'descr': '")[1].components(separatedBy: "'")[0]
  let shapeText = header.components(separatedBy: "'shape': (")[1].components(separatedBy: ")")[0]
  let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
  return (descr, shape, data.subdata(in: (data.startIndex + headerStart + headerLength)..<data.endIndex))
}

func seconds(_ d: Duration) -> Double {
  Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

func median(_ xs: [Double]) -> Double {
  let s = xs.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

let options = parseOptions()
let (fDescr, fShape, fPayload) = readNpy(options.features)
guard fDescr == "<f4", fShape.count == 2 else { fatalError("features must be '<f4' N×D, got \(fDescr) \(fShape)") }
let (lDescr, lShape, lPayload) = readNpy(options.labels)
guard lDescr == "<i8", lShape.count == 1, lShape[0] == fShape[0] else { fatalError("labels must be '<i8' of length N") }
let n = fShape[0], d = fShape[1]
var storage = [Float](repeating: 0, count: n * d)
_ = storage.withUnsafeMutableBytes { fPayload.copyBytes(to: $0) }
var z = Matrix(rows: n, columns: d, storage: storage)
z.normalizeRows()
var labels64 = [Int64](repeating: 0, count: n)
_ = labels64.withUnsafeMutableBytes { lPayload.copyBytes(to: $0) }
let labels = labels64.map { Int($0) }
let classes = (labels.max() ?? 0) + 1

// The shared answer rule.
let m = min(options.answers, n)
let anchors = (0..<m).map { (7919 * $0 + 13) % n }
let answers: [Answer] = (0..<m).map { k in
  let y = labels[anchors[k]]
  return k % 10 < 7 ? .positive(cluster: y) : .negative(rejected: (1...5).map { (y + $0) % classes })
}
let feedback = Feedback(anchors: anchors, answers: answers)

let trainer = HeadTrainer(epochs: options.epochs, seed: 0, initSteps: options.initSteps)
print("idc: N=\(n) D=\(d) C=\(classes) hidden=\(trainer.hiddenDimension) M=\(m) epochs=\(options.epochs) "
      + "init_steps=\(options.initSteps) openblas_threads=\(BLAS.threadCount)")
var initTimes: [Double] = [], finetuneTimes: [Double] = [], copTimes: [Double] = []
let clock = ContinuousClock()
for run in 1...options.runs {
  var initial: HeadTrainingResult!
  let tInit = try clock.measure {
    initial = try trainer.fitInitial(features: z, assignment: labels, classCount: classes)
  }
  var tuned: HeadTrainingResult!
  let tTune = try clock.measure {
    tuned = try trainer.finetune(head: initial.head, features: z, feedback: feedback)
  }
  let acc = Double(zip(tuned.assignment, labels).filter { $0 == $1 }.count) / Double(n)
  initTimes.append(seconds(tInit))
  finetuneTimes.append(seconds(tTune))

  // Cop-Kmeans from the class means, constraints from the same answers through
  // each cluster's representative (its sample nearest the centre).
  var centres = Matrix(rows: classes, columns: d)
  for i in 0..<n { for j in 0..<d { centres[labels[i], j] += z[i, j] } }
  centres.normalizeRows()
  let similarity = BLAS.dotProducts(centres, z)
  let representatives = (0..<classes).map { g in (0..<n).max { similarity[g, $0] < similarity[g, $1] }! }
  let constraints = try PairwiseConstraints(feedback: feedback, representatives: representatives)
  var cop: CopKMeans.Result!
  let tCop = try clock.measure {
    cop = try CopKMeans().fit(z, initialCenters: centres, constraints: constraints)
  }
  copTimes.append(seconds(tCop))
  print(String(format: "idc run %d: init %.3f s (agreement %.4f, confident %.3f), finetune %.3f s (%d steps, agreement %.4f), "
               + "cop-kmeans %.3f s (%d iterations, feasible %@)",
               run, seconds(tInit), initial.agreement ?? 0, initial.confidentFraction, seconds(tTune), tuned.steps, acc,
               seconds(tCop), cop.iterations, cop.isFeasible ? "yes" : "no"))
}
print(String(format: "idc median: init %.3f s, finetune %.3f s, cop-kmeans %.3f s",
             median(initTimes), median(finetuneTimes), median(copTimes)))
