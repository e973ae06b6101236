import IDCCore
import IDCLang

// The core's enums that commands offer as choices: the words typed are their raw values.
extension HeadTrainer.Loss: ChoiceValue {}
extension SelectionStrategy: ChoiceValue {}
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
extension InteractionRounds.Hardness: ChoiceValue {}
