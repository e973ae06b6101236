/// What ``HeadTrainer`` learned: the head, the final assignment and
/// per-epoch statistics (faiss' `iteration_stats`), which the plots draw.
public struct HeadTrainingResult: Sendable, Equatable {

  /// Statistics of one finetuning epoch, or of one block of 50 steps of the
  /// initial fit.
  public struct Record: Sendable, Equatable {
    /// The epoch (finetuning, 1-based) or the number of optimiser steps done
    /// at the end of the block (initial fit).
    public var iteration: Int
    /// Mean `L_pos` over the epoch's steps (0 when disabled or no positives).
    public var positive: Double
    /// Mean `L_neg` over the epoch's steps (0 when disabled or no negatives).
    public var negative: Double
    /// Mean `L_reg` over the epoch's steps (0 when disabled, warming up or nothing confident).
    public var regularization: Double
    /// Mean total loss per step: the sum of the enabled terms (finetuning),
    /// or the cross-entropy to the pre-trained assignment (initial fit).
    public var total: Double
    /// Share of the rows of the epoch's confident batches whose largest
    /// probability exceeded τ (0 when no confident batch was drawn).
    public var confidentShare: Double
    /// What the caller's `evaluate` closure returned after the epoch (e.g.
    /// "acc", "nmi", "ari"); empty without a closure.
    public var metrics: [String: Double]

    public init(
      iteration: Int, positive: Double = 0, negative: Double = 0, regularization: Double = 0,
      total: Double, confidentShare: Double = 0, metrics: [String: Double] = [:]
    ) {
      self.iteration = iteration
      self.positive = positive
      self.negative = negative
      self.regularization = regularization
      self.total = total
      self.confidentShare = confidentShare
      self.metrics = metrics
    }
  }

  /// The trained head.
  public var head: ClusterHead
  /// One record per epoch (finetuning) or per 50 steps (initial fit).
  public var history: [Record]
  /// What `evaluate` returned before the first epoch (empty without a closure).
  public var initialMetrics: [String: Double]
  /// `argmax_j p_ij` for every sample, after training.
  public var assignment: [Int]
  /// Share of all samples whose largest probability exceeds τ after training.
  public var confidentFraction: Double
  /// Initial fit only: share of samples whose assignment equals the
  /// pre-trained one (its argmax for a probability matrix); nil after finetuning.
  public var agreement: Double?
  /// Optimiser steps taken.
  public var steps: Int
  /// Finetuning only: ``HeadTrainer/evaluationLoss(head:features:feedback:)`` of the head it
  /// started from and of the head it ended with — so a run continued from this head starts
  /// at `end`.
  public var evaluationLoss: EvaluationLoss?

  /// The fixed-batch loss before and after a finetuning.
  public struct EvaluationLoss: Sendable, Equatable {
    public var start: Double
    public var end: Double
  }

  public init(
    head: ClusterHead, history: [Record], initialMetrics: [String: Double] = [:], assignment: [Int],
    confidentFraction: Double, agreement: Double? = nil, steps: Int
  ) {
    self.head = head
    self.history = history
    self.initialMetrics = initialMetrics
    self.assignment = assignment
    self.confidentFraction = confidentFraction
    self.agreement = agreement
    self.steps = steps
  }
}
