/// Minimum-cost assignment on a rectangular cost matrix by the shortest
/// augmenting path form of the Hungarian algorithm (Kuhn 1955; Jonker &
/// Volgenant 1987), with row and column potentials.
///
/// `cost` is `rows × columns` (row-major); the result maps each row to a
/// distinct column (`-1` for rows left over when `rows > columns`).
/// Ties resolve deterministically (lowest column first).
///
/// - Complexity: `O(n²·m)` for `n = min(rows, columns)`, `m = max(rows, columns)`.
public func minimumCostAssignment(cost: [Double], rows: Int, columns: Int) -> [Int] {
  precondition(cost.count == rows * columns, "cost has \(cost.count) entries for \(rows)×\(columns)")
  if rows == 0 || columns == 0 { return [Int](repeating: -1, count: rows) }
  // Work with n ≤ m: transpose if there are more rows than columns.
  let transpose = rows > columns
  let n = transpose ? columns : rows
  let m = transpose ? rows : columns
  @inline(__always) func a(_ i: Int, _ j: Int) -> Double {
    transpose ? cost[j * columns + i] : cost[i * columns + j]
  }
  // 1-based arrays as in the classic e-maxx formulation.
  var u = [Double](repeating: 0, count: n + 1)
  var v = [Double](repeating: 0, count: m + 1)
  var p = [Int](repeating: 0, count: m + 1)   // p[j]: row matched to column j
  var way = [Int](repeating: 0, count: m + 1)
  for i in 1...n {
    p[0] = i
    var j0 = 0
    var minv = [Double](repeating: .infinity, count: m + 1)
    var used = [Bool](repeating: false, count: m + 1)
    repeat {
      used[j0] = true
      let i0 = p[j0]
      var delta = Double.infinity
      var j1 = 0
      for j in 1...m where !used[j] {
        let cur = a(i0 - 1, j - 1) - u[i0] - v[j]
        if cur < minv[j] { minv[j] = cur; way[j] = j0 }
        if minv[j] < delta { delta = minv[j]; j1 = j }
      }
      for j in 0...m {
        if used[j] { u[p[j]] += delta; v[j] -= delta } else { minv[j] -= delta }
      }
      j0 = j1
    } while p[j0] != 0
    repeat {
      let j1 = way[j0]
      p[j0] = p[j1]
      j0 = j1
    } while j0 != 0
  }
  var match = [Int](repeating: -1, count: rows)
  for j in 1...m where p[j] != 0 {
    if transpose { match[j - 1] = p[j] - 1 } else { match[p[j] - 1] = j - 1 }
  }
  return match
}
