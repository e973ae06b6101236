import Foundation
import IDCCore
import IDCData
import IDCLang

/// `feedback`: answers to the queries about a selection — from a simulated
/// oracle, from the person at the terminal, or from a file.
enum FeedbackCommand: IDCCommand {
  static let selection: Parameter<String?> = .name("selection", kind: .selection, help: "the selection to ask about (default: the latest)")
  static let t: Parameter<Int> = .int("t", in: 1...1000, default: QueryBuilder.defaults.candidates, help: "candidate clusters shown per query (T)")
  static let mode: Parameter<Oracle.Mode> = .choice("mode", default: Oracle.defaults.mode, help: "how the simulated user decides")
  static let oracleExamples: Parameter<Int> = .int("examples", in: 1...50, default: Oracle.representativeExamples,
                                                   help: "samples shown per candidate (representative mode)")
  static let noise: Parameter<Double> = .double("noise", in: 0...1, default: Oracle.defaults.noise,
                                                help: "fraction of answers turned wrong, to study mistaken users")
  static let seed = CommonParameters.seed("seed for the noise (default: the session seed)")
  static let oracleJournal: Parameter<String?> = .path("journal", extensions: ["csv"], help: "also append every answer to this journal")
  static let askExamples: Parameter<Int> = .int("examples", in: 1...20, default: QueryBuilder.defaults.examples,
                                                help: "samples shown per candidate cluster (one alone misleads)")
  static let askJournal: Parameter<String> = .path("journal", extensions: ["csv"], default: "answers.journal.csv",
                                                   help: "journal file (in the output directory)")
  static let loadFile: Parameter<String> = .requiredPath("file", extensions: ["csv", "npz", "tsv"], help: "the answers file")
  static let loadAudit: Parameter<Bool> = .bool("audit", default: false,
                                                help: "the file holds audit answers (held out of training, as 'feedback audit' gives)")
  static let saveFile: Parameter<String> = .requiredPath("file", extensions: ["csv", "npz"], help: "where to write")
  static let answers = CommonParameters.answers("which answers: a name, or all (every answer of the session); default: the latest")
  static let auditCount: Parameter<Int> = .int("n", in: 1...1_000_000, default: 50, help: "how many samples to audit")
  static let auditUser: Parameter<AuditUser> = .choice("by", default: .ask, help: "who answers: ask (the person) or oracle (simulated from the labels)")
  static let reviewCount: Parameter<Int> = .int("n", in: 0...1_000_000, default: 10,
                                                help: "how many of the flagged answers to ask again (0: list the flags only)")
  static let reviewUser: Parameter<AuditUser> = .choice("by", default: .ask, help: "who answers again: ask (the person) or oracle (simulated from the labels)")
  static let reviewJournal: Parameter<String> = .path("journal", extensions: ["csv"], default: "review.journal.csv",
                                                      help: "journal of the person's second answers (in the output directory)")
  static let auditJournal: Parameter<String> = .path("journal", extensions: ["csv"], default: "audit.journal.csv",
                                                     help: "journal of the person's audit answers (in the output directory)")

  static let spec = CommandSpec(
    name: "feedback",
    abstract: "Collect answers for a selection: 'which of these T clusters does this sample belong to — or none?'",
    subcommands: [
      CommandSpec(
        name: "oracle",
        abstract: "Simulate the user from the ground-truth labels.",
        discussion: "matching: each class's cluster by Hungarian matching over all samples (the official code); representative: the first candidate whose shown samples carry the anchor's label.",
        parameters: specs(selection, t, mode, oracleExamples, noise, seed, oracleJournal),
        examples: ["answers = feedback oracle t=5", "feedback oracle mode=representative noise=0.1"]),
      CommandSpec(
        name: "ask",
        abstract: "Ask the person at the terminal: 1..T picks a candidate, 0 or n none, s skip, u undo, q stop.",
        discussion: "Every answer is appended to the journal as it is given; run it again to resume where it stopped.",
        parameters: specs(selection, t, askExamples, askJournal),
        examples: ["feedback ask", "feedback ask t=3 examples=4"]),
      CommandSpec(
        name: "audit",
        abstract: "Audit the current clustering without labels: ask about n samples drawn at random; estimates the share the person confirms, with a 95 % interval.",
        discussion: """
          Samples are drawn uniformly at random (seeded) among those never asked; each query shows the sample's current \
          cluster first. Audit answers are held out of training ('train answers=all' leaves them out; 'select' never picks \
          them) and estimate every later clustering too: 'eval', 'train', 'rounds' and 'show' print the estimate (beside ACC \
          when the data has labels). by=oracle simulates the person from the labels (mode=, noise= as 'feedback oracle').
          """,
        parameters: specs(auditCount, auditUser, t, askExamples, mode, noise, seed, auditJournal),
        examples: ["feedback audit n=50", "feedback audit n=50 by=oracle", "audit = feedback audit n=100 by=oracle noise=0.1"]),
      CommandSpec(
        name: "review",
        abstract: "Flag answers that are probably mistaken — both the model and the nearest answered samples say otherwise — and ask the n most suspicious again.",
        discussion: """
          The model is the head fitted to the pre-trained clustering (it has not seen the answers). Each flag says why. \
          A second answer replaces the first; an answer is asked again at most once; the value is every answer of the \
          session with the second answers in place (what a following 'train' uses). With labels, the flags' precision \
          and recall against the noise-free answers are printed. by=oracle simulates the person (noise= as 'feedback oracle': \
          the person may err again at the same rate; its draws use seed + 1). 'train flagged=drop' leaves flagged answers out.
          """,
        parameters: specs(reviewCount, reviewUser, askExamples, mode, noise, seed, reviewJournal),
        examples: ["feedback review n=0", "feedback review n=20 by=oracle noise=0.2", "feedback review n=10"]),
      CommandSpec(
        name: "load",
        abstract: "Read answers from a .csv or .npz file (anchor, answer, candidates).",
        parameters: specs(loadFile, loadAudit),
        examples: ["feedback load file=\"answers.csv\""]),
      CommandSpec(
        name: "save",
        abstract: "Write answers to a .csv or .npz file that numpy/pandas read.",
        parameters: specs(saveFile, answers),
        examples: ["feedback save file=\"answers.npz\""]),
    ],
    examples: ["answers = feedback oracle t=5", "feedback ask", "feedback load file=\"answers.csv\""],
    resultKind: .feedback)
  static let transcript = Transcript.recorded
  static let howToMake: String? = "run 'feedback oracle' (or 'feedback ask') after 'select'"

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    switch args.path.last {
    case "oracle": return try oracle(args, context)
    case "ask": return try ask(args, context)
    case "audit": return try audit(args, context)
    case "review": return try review(args, context)
    case "load": return try load(args, context)
    case "save":
      let set = try context.workspace.feedbackSet(named: args[answers])
      let path = context.outputPath(args[saveFile])
      try FeedbackFile.write(set.feedback, candidates: set.queries.map(\.candidates), to: path)
      context.say("wrote \(set.feedback.count) answers to \(path)")
      return nil
    default:
      throw args.error("unknown feedback source")
    }
  }

  /// Answers are journaled as they are given; an interrupted `ask` is resumed from its journal.
  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  /// The queries for the chosen selection, with the candidate clusters of the clustering the
  /// scores refer to (the pre-trained one, or the current model's in later rounds).
  static func queries(_ args: BoundArguments, _ context: CommandContext, examples: Int) throws -> [Query] {
    let ws = context.workspace
    let (assignment, centers) = try ws.requireQueryReference()
    guard case .selection(let selection) = try ws.value(named: args[Self.selection], kind: .selection) else { return [] }
    let t = args[Self.t]
    guard t <= centers.rows else {
      throw args.error("t = \(t) exceeds the number of clusters (\(centers.rows)); choose t ≤ \(centers.rows)", at: Self.t)
    }
    return try QueryBuilder(candidates: t, examples: examples).build(ws.z, centers: centers, anchors: selection.indices, assignment: assignment)
  }

  static func oracle(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let labels = try ws.requireLabels()
    let (assignment, _) = try ws.requireQueryReference()
    let qs = try queries(args, context, examples: args[oracleExamples])
    let mode = args[Self.mode]
    let feedback = try Oracle(mode: mode, noise: args[noise], seed: context.seed(args[seed]))
      .answer(qs, labels: labels, assignment: assignment)
    if let journal = args[oracleJournal] {
      let j = FeedbackJournal(path: context.outputPath(journal))
      for (k, q) in qs.enumerated() { try j.append(anchor: q.anchor, answer: feedback.answers[k], candidates: q.candidates) }
    }
    let set = FeedbackSet(queries: qs, feedback: feedback, source: "oracle \(mode.rawValue)")
    report(set, context)
    ws.answerLog.record(set)
    return .feedback(set)
  }

  static func report(_ set: FeedbackSet, _ context: CommandContext) {
    let f = set.feedback
    context.say("\(f.count) answers (\(set.source)): \(f.positiveCount) positive — the sample's cluster was among the candidates — \(f.negativeCount) negative\(f.skippedCount > 0 ? ", \(f.skippedCount) skipped" : "")")
  }

  static func load(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    _ = try ws.requireData()
    let path = args[loadFile]
    let (feedback, candidates) = try FeedbackFile.read(path: path)
    let clusters = ws.pretrainedCenters?.rows ?? (candidates.flatMap { $0 }.max() ?? 0) + 1
    try feedback.validate(sampleCount: ws.z.rows, clusterCount: clusters)
    let qs = zip(feedback.anchors, candidates).map { Query(anchor: $0, candidates: $1, representatives: []) }
    if args[loadAudit] {
      // Audit answers estimate; they must be samples never trained on.
      if let overlap = feedback.anchors.first(where: { ws.answerLog.asked.contains($0) }) {
        throw args.error("sample \(overlap) was already asked for training; audit answers must be held out", at: loadAudit)
      }
      let set = FeedbackSet(queries: qs, feedback: feedback, source: "audit, \(path)")
      recordAudit(set, from: " from \(path)", context)
      return .feedback(set)
    }
    let set = FeedbackSet(queries: qs, feedback: feedback, source: path)
    report(set, context)
    ws.answerLog.record(set)
    return .feedback(set)
  }

  // MARK: - The person at the terminal

  static func ask(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let qs = try queries(args, context, examples: args[askExamples])
    let journal = FeedbackJournal(path: context.outputPath(args[askJournal]))
    let reader = try person(args, context, "feedback ask", at: nil,
                            help: "use 'feedback oracle' (simulated answers) or 'feedback load file=…' (answers given elsewhere)",
                            journal: journal, covering: qs.map(\.anchor))
    let set = try askPerson(qs, reader: reader, examples: args[askExamples], journal: journal, source: "ask", newClusters: true, context)
    try makeNewClusters(set, journal: journal, context)
    report(set, context)
    ws.answerLog.record(set)
    if set.queries.count < qs.count { context.say("\(qs.count - set.queries.count) queries left; run 'feedback ask' again to continue") }
    return .feedback(set)
  }

  /// Makes the clusters the answers started (`new` at `feedback ask`), in number order, each
  /// from the samples answered to it, with its journaled name (``PartitionEdit/newCluster(_:anchors:)``).
  static func makeNewClusters(_ set: FeedbackSet, journal: FeedbackJournal, _ context: CommandContext) throws {
    let ws = context.workspace
    let names = try journal.newClusterNames()
    let existing = ws.clusterCount
    var anchors: [Int: [Int]] = [:]
    for (a, answer) in zip(set.feedback.anchors, set.feedback.answers) {
      if case .positive(let g) = answer, g >= existing { anchors[g, default: []].append(a) }
    }
    for (k, g) in anchors.keys.sorted().enumerated() {
      guard g == existing + k else { throw CommandError("new cluster \(g) has no cluster \(existing + k) before it") }
      try ws.apply(try PartitionEdit.newCluster(ws.z, anchors: anchors[g]!), seed: context.seed(nil))
      if let name = names[g] { ws.clusterNames[g] = name }
      let size = (ws.current ?? []).filter { $0 == g }.count
      context.say("new \(ws.clusterLabel(g)) from sample\(anchors[g]!.count == 1 ? "" : "s") \(anchors[g]!.map(String.init).joined(separator: ", ")): \(size) samples in the current clustering")
    }
    if !anchors.isEmpty { PartitionReport.sizes(context) }
  }

  /// The reader of a replay whose answers are all journaled: nobody is asked.
  final class NobodyToAsk: AnswerReader {
    var unavailableReason: String? { nil }
    func readAnswer(prompt: String) -> String? { nil }
  }

  /// The person who answers `statement` with `by=ask`, or an error located at `by` saying why
  /// nobody can be asked here (no terminal, a notebook cell without input) and what to use.
  ///
  /// With a `journal` that holds answers, a replay where nobody can be asked (`recover` in a
  /// notebook cell without input) reads them from it; where they run out, the person stopped.
  /// With `covering`, the journal must answer every one of those samples (`feedback ask`,
  /// whose queries are known before asking); without, any journaled answer will do.
  static func person(_ args: BoundArguments, _ context: CommandContext, _ statement: String, at by: Parameter<AuditUser>?,
                     help: String, journal: FeedbackJournal? = nil, covering anchors: [Int]? = nil) throws -> AnswerReader {
    if let r = context.answerReader, r.unavailableReason == nil { return r }
    if let journal {
      let journaled = Set(try journal.recorded().map(\.anchor))
      let replayable = anchors.map { !$0.isEmpty && $0.allSatisfy(journaled.contains) } ?? !journaled.isEmpty
      if replayable { return NobodyToAsk() }
    }
    throw args.error("'\(statement)' cannot ask here: \(context.answerReader?.unavailableReason ?? "no person at a terminal")",
                     at: by?.name, help: help)
  }

  /// Puts `qs` to the person one by one, resuming from `journal` (answers already journaled for
  /// these anchors are kept) and journaling every answer as it is given.
  ///
  /// With `newClusters` (`feedback ask`), the person may also answer `new [name]` — the sample
  /// starts a cluster no candidate stands for, numbered from the session's cluster count on —
  /// or `c N` for any cluster by its number, a new one included. Names of new clusters are
  /// journaled too (``FeedbackJournal/newClusterNames()``); the clusters themselves are made by
  /// the caller (``makeNewClusters(_:journal:_:)``).
  static func askPerson(_ qs: [Query], reader: AnswerReader, examples: Int, journal: FeedbackJournal, source: String,
                        newClusters: Bool = false, _ context: CommandContext) throws -> FeedbackSet {
    let ws = context.workspace
    // Resume: answers already journaled for these anchors (same candidates) are kept.
    var answered: [Int: Answer] = [:]
    for entry in try journal.recorded() { answered[entry.anchor] = entry.answer }
    answered = answered.filter { entry in qs.contains { $0.anchor == entry.key } }
    if !answered.isEmpty { context.say("resuming: \(answered.count) of \(qs.count) already answered in \(journal.path)") }
    let renderer = QueryRenderer(workspace: ws)
    let existing = ws.clusterCount
    var names = try journal.newClusterNames()
    /// New clusters answered so far (journaled ones included), by number.
    func created() -> [Int] { Set(answered.values.compactMap { if case .positive(let g) = $0, g >= existing { g } else { nil } }).sorted() }
    let choices = newClusters ? "0=none, new [name], c N, s=skip, u=undo, q=stop" : "0=none, s=skip, u=undo, q=stop"
    var order: [Int] = []  // indices into qs answered in this run, for undo
    var k = 0
    while k < qs.count {
      let q = qs[k]
      if answered[q.anchor] != nil && !order.contains(k) { k += 1; continue }
      try renderer.present(q, number: k + 1, of: qs.count, examples: examples, context)
      let made = created()
      if !made.isEmpty {
        context.say("new clusters so far: " + made.map { g in
          "\(g)" + (names[g].map { " \"\($0)\"" } ?? "") + " (sample" + (answered.filter { $0.value == .positive(cluster: g) }.keys.sorted().map { " \($0)" }.joined(separator: ",")) + ")"
        }.joined(separator: ", ") + " — 'c N' answers one")
      }
      guard let line = reader.readAnswer(prompt: "answer [1-\(q.candidates.count), \(choices)]> ") else { break }
      let raw = line.trimmingCharacters(in: .whitespaces)
      let input = raw.lowercased()
      if newClusters, input == "new" || input.hasPrefix("new ") || input == "+" || input.hasPrefix("+ ") {
        let g = (made.max() ?? existing - 1) + 1
        let name = String(raw.drop { $0 != " " }).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        if !name.isEmpty {
          try journal.appendClusterName(g, name)
          names[g] = name
        }
        answered[q.anchor] = .positive(cluster: g)
        context.say("→ new cluster \(g)" + (name.isEmpty ? "" : " \"\(name)\""))
      } else if newClusters, input.hasPrefix("c ") || input.hasPrefix("c=") {
        let last = max(existing - 1, made.max() ?? -1)
        guard let g = Int(input.dropFirst(2).trimmingCharacters(in: .whitespaces)), g >= 0, g <= last else {
          context.say("'\(raw)' names no cluster: the clusters are 0 to \(last)")
          continue
        }
        answered[q.anchor] = .positive(cluster: g)
      } else {
        switch input {
        case "q", "quit", "stop":
          k = qs.count
          continue
        case "u", "undo":
          guard let previous = order.popLast() else { context.say("nothing to undo"); continue }
          answered[qs[previous].anchor] = nil
          try journal.appendUndo()
          k = previous
          continue
        case "s", "skip":
          answered[q.anchor] = .skipped
        case "0", "n", "none", "no":
          answered[q.anchor] = .negative(rejected: q.candidates)
        case "?", "h", "help":
          context.say("type the number of the matching candidate, 0 if none matches, "
            + (newClusters ? "'new' (or 'new NAME') if it starts a cluster of its own, 'c N' for cluster N, " : "")
            + "s to skip, u to undo the last answer, q to stop")
          continue
        default:
          guard let t = Int(input), t >= 1, t <= q.candidates.count else {
            context.say("'\(input)' is not an answer: type 1 to \(q.candidates.count), 0, s, u or q")
            continue
          }
          answered[q.anchor] = .positive(cluster: q.candidates[t - 1])
        }
      }
      if let answer = answered[q.anchor] { try journal.append(anchor: q.anchor, answer: answer, candidates: q.candidates) }
      order.append(k)
      k += 1
    }
    let kept = qs.filter { answered[$0.anchor] != nil }
    let feedback = Feedback(anchors: kept.map(\.anchor), answers: kept.compactMap { answered[$0.anchor] })
    return FeedbackSet(queries: kept, feedback: feedback, source: source)
  }

  // MARK: - Review

  /// Every answer of `set` assessed against the head fitted to the pre-trained clustering and
  /// the nearest answered samples (``AnswerReview``).
  static func assess(_ set: FeedbackSet, _ context: CommandContext) throws -> [AnswerReview.Assessment] {
    let ws = context.workspace
    let (pretrained, centers) = try ws.requirePretrained()
    var trainer = HeadTrainer.defaults
    trainer.seed = context.seed(nil)
    let head = try TrainCommand.initialHead(trainer, pretrained: pretrained, classes: centers.rows, context).head
    let p = head.probabilities(ws.z.rows(set.feedback.anchors))
    return try AnswerReview().assess(features: ws.z, feedback: set.feedback, probabilities: p)
  }

  /// "against the labels: 19 of 100 answers are wrong; 14 flagged, 11 of them wrong (precision 78.6 %, recall 57.9 %)".
  static func flagQuality(_ set: FeedbackSet, flagged: Set<Int>, _ context: CommandContext) -> String? {
    let ws = context.workspace
    guard let labels = ws.data?.labels, let (assignment, _) = try? ws.requireQueryReference(),
          let truth = try? Oracle(mode: .matching).answer(set.queries, labels: labels, assignment: assignment) else { return nil }
    let wrong = Set((0..<set.feedback.count).filter { set.feedback.answers[$0] != .skipped && truth.answers[$0] != set.feedback.answers[$0] })
    let hit = flagged.intersection(wrong).count
    let precision = flagged.isEmpty ? "–" : "\(percent(Double(hit) / Double(flagged.count))) %"
    let recall = wrong.isEmpty ? "–" : "\(percent(Double(hit) / Double(wrong.count))) %"
    return "against the labels: \(wrong.count) of \(set.feedback.count) answers are wrong; \(flagged.count) flagged, \(hit) of them wrong "
      + "(precision \(precision), recall \(recall))"
  }

  static func review(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    guard ws.answerLog.count > 0 else {
      throw CommandError("no answers to review yet", help: "answer some queries first: 'feedback oracle' or 'feedback ask'")
    }
    let set = ws.answerLog.set
    let assessments = try assess(set, context)
    let flagged = AnswerReview.ranked(assessments)
    context.say("\(flagged.count) of \(set.feedback.count) answers flagged as probably mistaken (the model and the nearest answered samples both say otherwise)")
    for a in flagged.prefix(5) {
      context.say("  sample \(a.anchor), answered \(describe(set.feedback.answers[a.position], names: context.workspace)): \(a.reason)")
    }
    if flagged.count > 5 { context.say("  … and \(flagged.count - 5) more") }
    if let quality = flagQuality(set, flagged: Set(flagged.map(\.position)), context) { context.say(quality) }
    let again = flagged.filter { !ws.reviewedAnchors.contains($0.anchor) }.prefix(args[reviewCount])
    guard !again.isEmpty else {
      if args[reviewCount] > 0 { context.say(flagged.isEmpty ? "nothing to ask again" : "every flagged answer was asked again already") }
      return nil
    }
    let qs = again.map { set.queries[$0.position] }
    let answers: FeedbackSet
    switch args[reviewUser] {
    case .oracle:
      let labels: [Int]
      do { labels = try ws.requireLabels() } catch let error as CommandError { throw args.error(error.message, at: reviewUser, help: error.help) }
      let (assignment, _) = try ws.requireQueryReference()
      let feedback = try Oracle(mode: args[mode], noise: args[noise], seed: context.seed(args[seed]) &+ 1)
        .answer(qs, labels: labels, assignment: assignment)
      answers = FeedbackSet(queries: qs, feedback: feedback, source: "review, oracle \(args[mode].rawValue)")
    case .ask:
      let r = try person(args, context, "feedback review", at: reviewUser,
                         help: "by=oracle simulates the answers from the labels; n=0 lists the flags without asking",
                         journal: FeedbackJournal(path: context.outputPath(args[reviewJournal])))
      answers = try askPerson(qs, reader: r, examples: args[askExamples],
                              journal: FeedbackJournal(path: context.outputPath(args[reviewJournal])), source: "review", context)
    }
    let before = Dictionary(uniqueKeysWithValues: zip(set.feedback.anchors, set.feedback.answers))
    let changed = zip(answers.feedback.anchors, answers.feedback.answers).filter { before[$0] != $1 }.count
    ws.answerLog.record(answers)
    ws.reviewedAnchors.formUnion(answers.feedback.anchors)
    context.say("\(answers.feedback.count) answers asked again (\(ws.reviewedAnchors.count) in this session): \(changed) changed")
    // The value is every answer of the session with the second answers in place, so a plain
    // 'train' after a review trains on all of them.
    var all = ws.answerLog.set
    all.source = "all answers of the session, \(ws.reviewedAnchors.count) asked again"
    return .feedback(all)
  }

  /// "cluster 3", "none of 3, 5, 1", "skipped".
  static func describe(_ answer: Answer, names ws: Workspace) -> String {
    switch answer {
    case .positive(let g): return ws.clusterLabel(g)
    case .negative(let rejected): return "none of " + rejected.map(String.init).joined(separator: ", ")
    case .skipped: return "skipped"
    }
  }

  // MARK: - Audit

  static func audit(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let (pretrained, pretrainedCenters) = try ws.requirePretrained()
    let assignment = ws.current ?? pretrained
    let clusters = pretrainedCenters.rows
    let t = args[Self.t]
    guard t <= clusters else { throw args.error("t = \(t) exceeds the number of clusters (\(clusters)); choose t ≤ \(clusters)", at: Self.t) }
    var reader: AnswerReader?
    var labels: [Int]?
    switch args[auditUser] {
    case .ask:
      reader = try person(args, context, "feedback audit", at: auditUser,
                          help: "by=oracle simulates the answers from the labels; 'feedback load' reads answers given elsewhere",
                          journal: FeedbackJournal(path: context.outputPath(args[auditJournal])))
    case .oracle:
      do { labels = try ws.requireLabels() } catch let error as CommandError { throw args.error(error.message, at: auditUser, help: error.help) }
    }
    let anchors: [Int]
    do {
      anchors = try Audit.draw(args[auditCount], sampleCount: ws.z.rows, excluding: ws.askedOrAudited, seed: context.seed(args[seed]))
    } catch let error as CoreError { throw args.error(error.message, at: auditCount) }
    let centers = try centersOfAssignment(ws.z, assignment: assignment, clusterCount: clusters)
    let qs = try Audit.queries(ws.z, centers: centers, anchors: anchors, assignment: assignment,
                               builder: QueryBuilder(candidates: t, examples: args[askExamples]))
    let set: FeedbackSet
    if let labels {
      let feedback = try Oracle(mode: args[mode], noise: args[noise], seed: context.seed(args[seed]))
        .answer(qs, labels: labels, assignment: assignment)
      set = FeedbackSet(queries: qs, feedback: feedback, source: "audit, oracle \(args[mode].rawValue)")
    } else {
      set = try askPerson(qs, reader: reader!, examples: args[askExamples],
                          journal: FeedbackJournal(path: context.outputPath(args[auditJournal])), source: "audit", context)
      if set.queries.count < qs.count { context.say("\(qs.count - set.queries.count) audit queries left unanswered") }
    }
    recordAudit(set, from: "", context)
    return .feedback(set)
  }

  /// Keeps audit answers apart from the training answers and prints the current clustering's
  /// estimate.
  static func recordAudit(_ set: FeedbackSet, from origin: String, _ context: CommandContext) {
    let ws = context.workspace
    ws.auditLog.record(set)
    context.say("\(set.feedback.count) audit answers\(origin) (\(ws.auditLog.count) in this session), held out of training")
    if let current = ws.current ?? ws.pretrained, let estimate = ws.auditEstimate(of: current) {
      context.say("\(ws.currentSource): \(estimate)\(trueAccuracy(of: current, context))")
    }
  }

  /// "; true ACC 83.2 %" when the data has labels, so that the estimate can be checked.
  static func trueAccuracy(of assignment: [Int], _ context: CommandContext) -> String {
    guard let labels = context.workspace.data?.labels,
          let m = try? ClusteringMetrics.evaluate(truth: labels, prediction: assignment) else { return "" }
    return "; true ACC \(percent(m.accuracy)) %"
  }
}
