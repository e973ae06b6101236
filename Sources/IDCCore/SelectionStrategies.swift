/// Every selection strategy idc offers, registered once: `select strategy=`,
/// `sweep strategies=[…]`, `rounds strategy=`, `plot compare strategies=[…]`, help, completion
/// and the README reference read this list. A new strategy is one file and one line here.
public enum SelectionStrategies {
  public static let all: [StrategyDescriptor] = [
    // IDC (Liu et al. 2024) and its ablations (Table 3).
    ValueSelector.descriptor(.hardRepDiv),
    ValueSelector.descriptor(.hardRep),
    ValueSelector.descriptor(.hard),
    ValueSelector.descriptor(.rep),
    ValueSelector.descriptor(.random),
    // Model-free strategies of the field.
    TypiClust.descriptor,
    ProbCover.descriptor,
    MaxHerding.descriptor,
    KCenterGreedy.descriptor,
    // Strategies from the current head.
    MarginSampling.descriptor,
    EntropySampling.descriptor,
    BADGE.descriptor,
    DropQuery.descriptor,
    // Beyond the paper.
    HerdingIDC.descriptor,
  ]

  /// The descriptor called `name`, if any.
  public static func named(_ name: String) -> StrategyDescriptor? { all.first { $0.name == name } }

  /// The names, in registry order.
  public static var names: [String] { all.map(\.name) }
}
