import IDCCore
import IDCData
import IDCLang

// The core's enums that commands offer as choices: the words typed are their raw values.
extension HeadTrainer.Loss: ChoiceValue {}
extension HeadTrainer.Recipe: ChoiceValue {}
extension HeadTrainer.NegativeScale: ChoiceValue {}
extension HeadTrainer.RegularizationTarget: ChoiceValue {}
extension Oracle.Mode: ChoiceValue {}

/// A set of finetuning losses written as one word, `pos+neg+reg` (the Table 4 ablation rows):
/// every non-empty subset, in the order pos, neg, reg.
enum LossSet: String, ChoiceValue {
  case pos, neg, reg
  case posNeg = "pos+neg", posReg = "pos+reg", negReg = "neg+reg"
  case all = "pos+neg+reg"

  var losses: Set<HeadTrainer.Loss> { Set(rawValue.split(separator: "+").compactMap { HeadTrainer.Loss(rawValue: String($0)) }) }
}
extension TSNE.Method: ChoiceValue {}
extension TSNE.Initialization: ChoiceValue {}
extension TSNE.Affinity: ChoiceValue {}
extension NeighborSearch: ChoiceValue {}
extension FeatureMatrix.Mapping: ChoiceValue {}
extension InteractionRounds.Hardness: ChoiceValue {}

/// What `train` does with answers flagged as probably mistaken.
enum FlaggedAnswers: String, ChoiceValue {
  case keep, drop
}

/// Who answers an audit: the simulated user (from the labels) or the person at the terminal.
enum AuditUser: String, ChoiceValue {
  case oracle, ask
}

/// The simulated person of `rounds`: the paper's oracle (Hungarian matching of classes to
/// clusters), or one with its own criterion (``CriterionOracle``) that keeps the partition
/// (`criterion`) or changes it — new clusters and merges (`partition`).
enum RoundsPerson: String, ChoiceValue {
  case matching, criterion, partition
}

/// A selection strategy's name as typed: one of ``SelectionStrategies/all`` (so a new
/// strategy reaches `select`, `sweep`, `rounds`, `plot compare`, help and completion from its
/// one line in the registry).
struct StrategyName: ChoiceValue, Hashable {
  let rawValue: String
  init?(rawValue: String) {
    guard SelectionStrategies.named(rawValue) != nil else { return nil }
    self.rawValue = rawValue
  }
  static let allCases: [StrategyName] = SelectionStrategies.names.compactMap(StrategyName.init(rawValue:))
  var descriptor: StrategyDescriptor { SelectionStrategies.named(rawValue)! }
  /// IDC's full method, the default everywhere.
  static let full = StrategyName(rawValue: ValueTerms.hardRepDiv.rawValue)!

  /// One line per strategy for a command's help: name and summary.
  static var helpList: String {
    SelectionStrategies.all.map { "\($0.name): \($0.summary)" }.joined(separator: "; ")
  }
}
