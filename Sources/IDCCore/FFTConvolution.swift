import CKissFFT
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Linear 2-D convolutions of real grids with a few fixed real kernels, by
/// zero-padded FFTs (circulant embedding of the Toeplitz kernel matrices).
///
/// For grids `w_g` of `ny × nx` values and kernels `K_k(Δy, Δx)` defined for
/// `|Δy| < ny`, `|Δx| < nx`, ``convolve(_:into:)`` computes, for each
/// requested pair `(g, k)` of ``products``,
///
///     v[a] = Σ_b K_k(a − b) · w_g[b],        a, b ∈ [0, ny) × [0, nx),
///
/// and, for each pair of ``energies``, the quadratic form
/// `Σ_a w_g[a] · v[a] = Σ_{a,b} w_g[a] K_k(a − b) w_g[b]`, which needs no
/// inverse transform: by Parseval it is `(1/M) Σ_f K̂_k(f) · |ŵ_g(f)|²` over the
/// `M = my·mx` frequencies (the kernel must then be even, `K(−Δ) = K(Δ)`,
/// so that `K̂` is real).
///
/// Results are exact up to rounding: the kernels are laid out on an `my × mx`
/// torus with `my ≥ 2ny − 1`, `mx ≥ 2nx − 1` (so no wrap-around reaches the
/// kept window), transformed once at construction, and each call is one
/// forward transform per grid and one inverse transform per product. Padded
/// sizes are even 5-smooth numbers so that KISS FFT runs only its
/// radix-2/3/4/5 butterflies. 2-D transforms are done by rows (real FFTs,
/// `kiss_fftr` / `kiss_fftri`) then columns (complex FFTs, `kiss_fft`); the
/// forward transform skips the zero rows of the padding and the inverses
/// compute only the `ny` rows that are kept. Rows and columns are split
/// between `threads` workers, each with its own real-FFT plans (KISS's real
/// plans hold scratch space).
///
/// This is the only file that calls KISS FFT (BSD-3-Clause): `kiss_fftr_alloc`,
/// `kiss_fftr`, `kiss_fftri`, `kiss_fft_alloc`, `kiss_fft`; plans are released
/// with `free` (KISS's `kiss_fft_free`).
///
/// - Complexity: `O(mx·my·log(mx·my))` per transform; memory
///   `(kernels + 2·grids) · (mx/2 + 1) · my + products · ny · (mx/2 + 1)` complex values.
final class FFTConvolution: @unchecked Sendable {
  /// Grid size (nodes per row, rows).
  let nx: Int, ny: Int
  /// Padded transform size.
  let mx: Int, my: Int
  let kernelCount: Int
  /// Number of input grids per call.
  let gridCount: Int
  /// The `(grid, kernel)` pairs whose convolutions each call writes, in output order.
  let products: [(grid: Int, kernel: Int)]
  /// The `(grid, kernel)` pairs whose quadratic forms each call returns, in order.
  let energies: [(grid: Int, kernel: Int)]
  let threads: Int
  /// Complex values per row spectrum, `mx / 2 + 1`.
  private let hx: Int
  /// Kernel spectra, kernel-major, each stored column-major: `[k][c · my + f]`.
  private let kernelSpectra: UnsafeMutablePointer<kiss_fft_cpx>
  /// Row spectra of each input grid, transposed (`[g][c · my + r]`), zero for `r ≥ ny`.
  private let staged: UnsafeMutablePointer<kiss_fft_cpx>
  /// Full spectrum of each input grid (`[g][c · my + f]`).
  private let spectrum: UnsafeMutablePointer<kiss_fft_cpx>
  /// Per-product inverse column transforms, kept rows only (`[q][r · hx + c]`).
  private let inverseRows: UnsafeMutablePointer<kiss_fft_cpx>
  private let rowForward: [OpaquePointer], rowInverse: [OpaquePointer]
  private let columnForward: OpaquePointer, columnInverse: OpaquePointer

  /// Lines transposed together (8 complex values: one 64-byte cache line).
  static let band = 8

  /// The smallest even 5-smooth number ≥ `n` (and ≥ 2).
  static func fastSize(atLeast n: Int) -> Int {
    var m = max(2, n + (n & 1))
    while true {
      var r = m
      for f in [2, 3, 5] { while r % f == 0 { r /= f } }
      if r == 1 { return m }
      m += 2
    }
  }

  /// Prepares the convolutions of `gridCount` grids of `ny × nx` values with
  /// `kernelCount` kernels; `kernel(Δy, Δx, out)` writes the `kernelCount`
  /// kernel values at offset `(Δy, Δx)` to `out` and is called concurrently.
  init(nx: Int, ny: Int, gridCount: Int, kernelCount: Int,
       products: [(grid: Int, kernel: Int)], energies: [(grid: Int, kernel: Int)] = [], threads: Int,
       kernel: @Sendable (_ dy: Int, _ dx: Int, _ out: UnsafeMutablePointer<Float>) -> Void) {
    precondition(nx >= 1 && ny >= 1 && kernelCount >= 1 && gridCount >= 1, "empty convolution")
    precondition((products + energies).allSatisfy {
      (0..<gridCount).contains($0.grid) && (0..<kernelCount).contains($0.kernel)
    }, "a product or energy refers to a missing grid or kernel")
    self.nx = nx
    self.ny = ny
    self.kernelCount = kernelCount
    self.gridCount = gridCount
    self.products = products
    self.energies = energies
    let workers = max(1, threads)
    self.threads = workers
    let mx = Self.fastSize(atLeast: 2 * nx - 1), my = Self.fastSize(atLeast: 2 * ny - 1)
    self.mx = mx
    self.my = my
    hx = mx / 2 + 1
    let plane = hx * my
    kernelSpectra = .allocate(capacity: kernelCount * plane)
    staged = .allocate(capacity: gridCount * plane)
    staged.initialize(repeating: kiss_fft_cpx(r: 0, i: 0), count: gridCount * plane)
    spectrum = .allocate(capacity: gridCount * plane)
    inverseRows = .allocate(capacity: max(1, products.count * ny * hx))
    rowForward = (0..<workers).map { _ in kiss_fftr_alloc(Int32(mx), 0, nil, nil)! }
    rowInverse = (0..<workers).map { _ in kiss_fftr_alloc(Int32(mx), 1, nil, nil)! }
    columnForward = kiss_fft_alloc(Int32(my), 0, nil, nil)!
    columnInverse = kiss_fft_alloc(Int32(my), 1, nil, nil)!
    transformKernels(kernel)
  }

  deinit {
    for plan in rowForward + rowInverse + [columnForward, columnInverse] { free(UnsafeMutableRawPointer(plan)) }
    kernelSpectra.deallocate()
    staged.deallocate()
    spectrum.deallocate()
    inverseRows.deallocate()
  }

  /// Splits `0 ..< n` into the worker's share.
  @inline(__always) private func share(_ n: Int, _ w: Int) -> Range<Int> {
    (n * w / threads) ..< (n * (w + 1) / threads)
  }

  /// Transforms the circulant layout of every kernel into `kernelSpectra`,
  /// using the (zero) padding rows of `staged` as scratch and zeroing them after.
  private func transformKernels(_ kernel: @Sendable (Int, Int, UnsafeMutablePointer<Float>) -> Void) {
    let mx = self.mx, my = self.my, nx = self.nx, ny = self.ny, hx = self.hx, kc = kernelCount, plane = hx * my
    // Torus rows holding kernel values: Δy = r for r < ny, Δy = r − my for r > my − ny.
    let rows = Array(0..<ny) + Array(max(ny, my - ny + 1) ..< my)
    let scratch = UnsafeMutablePointer<kiss_fft_cpx>.allocate(capacity: kc * plane)
    defer { scratch.deallocate() }
    let staged = SharedPointer(scratch), spectra = SharedPointer(kernelSpectra)
    DispatchQueue.concurrentPerform(iterations: threads) { w in
      let lines = UnsafeMutablePointer<Float>.allocate(capacity: kc * mx)
      let values = UnsafeMutablePointer<Float>.allocate(capacity: kc)
      let lineSpectrum = UnsafeMutablePointer<kiss_fft_cpx>.allocate(capacity: hx)
      defer { lines.deallocate(); values.deallocate(); lineSpectrum.deallocate() }
      for index in share(rows.count, w) {
        let r = rows[index], dy = r < ny ? r : r - my
        for x in 0..<mx {
          let dx = x < nx ? x : (x > mx - nx ? x - mx : Int.min)
          if dx == Int.min {
            for k in 0..<kc { lines[k * mx + x] = 0 }
          } else {
            kernel(dy, dx, values)
            for k in 0..<kc { lines[k * mx + x] = values[k] }
          }
        }
        for k in 0..<kc {
          kiss_fftr(rowForward[w], lines + k * mx, lineSpectrum)
          for c in 0..<hx { staged.base[k * plane + c * my + r] = lineSpectrum[c] }
        }
      }
    }
    // Rows of the torus that hold no kernel value.
    let zero = kiss_fft_cpx(r: 0, i: 0)
    for k in 0..<kc { for c in 0..<hx { for r in ny ..< (my - ny + 1) { scratch[k * plane + c * my + r] = zero } } }
    DispatchQueue.concurrentPerform(iterations: threads) { w in
      for job in share(kc * hx, w) {
        let k = job / hx, c = job % hx
        kiss_fft(columnForward, staged.base + k * plane + c * my, spectra.base + k * plane + c * my)
      }
    }
  }

  /// Writes `outputs[q][r · nx + x] = v[r, x]` for each pair of ``products``,
  /// from the row-major `ny × nx` input `grids`, and returns the quadratic form
  /// of each pair of ``energies``.
  @discardableResult
  func convolve(_ grids: [UnsafePointer<Float>], into outputs: [UnsafeMutablePointer<Float>]) -> [Double] {
    precondition(grids.count == gridCount && outputs.count == products.count, "one grid per input, one output per product")
    let mx = self.mx, my = self.my, nx = self.nx, ny = self.ny, hx = self.hx, plane = hx * my
    let gc = gridCount, products = self.products, energies = self.energies
    let inputs = grids.map { SharedPointer($0) }, staged = SharedPointer(self.staged)
    let spectrum = SharedPointer(self.spectrum), spectra = SharedPointer(kernelSpectra)
    let inverse = SharedPointer(inverseRows)
    let outs = outputs.map { SharedPointer($0) }
    let scale = 1 / Float(mx * my)
    // Forward: rows (real FFT of the zero-padded grid rows), then columns.
    // Transposes go through blocks of `band` lines, so that the strided side
    // writes whole cache lines.
    let band = Self.band
    let rowBlocks = (ny + band - 1) / band
    DispatchQueue.concurrentPerform(iterations: threads) { w in
      let line = UnsafeMutablePointer<Float>.allocate(capacity: mx)
      let spectra = UnsafeMutablePointer<kiss_fft_cpx>.allocate(capacity: band * hx)
      defer { line.deallocate(); spectra.deallocate() }
      line.initialize(repeating: 0, count: mx)
      for job in share(gc * rowBlocks, w) {
        let g = job / rowBlocks, r0 = (job % rowBlocks) * band, count = min(band, ny - r0)
        for b in 0..<count {
          line.update(from: inputs[g].base + (r0 + b) * nx, count: nx)
          kiss_fftr(rowForward[w], line, spectra + b * hx)
        }
        let target = staged.base + g * plane + r0
        for c in 0..<hx { for b in 0..<count { target[c * my + b] = spectra[b * hx + c] } }
      }
    }
    var partialEnergies = [Double](repeating: 0, count: threads * energies.count)
    let columnBlocks = (hx + band - 1) / band
    partialEnergies.withUnsafeMutableBufferPointer { eb in
      let energy = SharedPointer(eb.baseAddress!)
      DispatchQueue.concurrentPerform(iterations: threads) { w in
        let product = UnsafeMutablePointer<kiss_fft_cpx>.allocate(capacity: my)
        let columns = UnsafeMutablePointer<kiss_fft_cpx>.allocate(capacity: band * my)
        defer { product.deallocate(); columns.deallocate() }
        for block in share(columnBlocks, w) {
          let c0 = block * band, count = min(band, hx - c0)
          for c in c0 ..< c0 + count {
            for g in 0..<gc {
              kiss_fft(columnForward, staged.base + g * plane + c * my, spectrum.base + g * plane + c * my)
            }
            // Parseval over the half spectrum: columns 0 and mx/2 once, the others twice.
            let multiplicity: Double = c == 0 || c == mx / 2 ? 1 : 2
            for (e, pair) in energies.enumerated() {
              let s = spectrum.base + pair.grid * plane + c * my
              let kernel = spectra.base + pair.kernel * plane + c * my
              var sum: Float = 0
              for f in 0..<my { sum += kernel[f].r * (s[f].r * s[f].r + s[f].i * s[f].i) }
              energy.base[w * energies.count + e] += multiplicity * Double(sum)
            }
          }
          // Pointwise products with the kernel spectra, inverse column FFTs,
          // keep the first ny rows (transposed for the row pass).
          for (q, pair) in products.enumerated() {
            for b in 0..<count {
              let c = c0 + b
              let s = spectrum.base + pair.grid * plane + c * my
              let kernel = spectra.base + pair.kernel * plane + c * my
              for f in 0..<my {
                let a = s[f], k = kernel[f]
                product[f] = kiss_fft_cpx(r: a.r * k.r - a.i * k.i, i: a.r * k.i + a.i * k.r)
              }
              kiss_fft(columnInverse, product, columns + b * my)
            }
            let rows = inverse.base + q * ny * hx + c0
            for r in 0..<ny { for b in 0..<count { rows[r * hx + b] = columns[b * my + r] } }
          }
        }
      }
    }
    // Inverse rows: real outputs, first nx values kept, normalised.
    DispatchQueue.concurrentPerform(iterations: threads) { w in
      let line = UnsafeMutablePointer<Float>.allocate(capacity: mx)
      defer { line.deallocate() }
      for job in share(products.count * ny, w) {
        let q = job / ny, r = job % ny
        kiss_fftri(rowInverse[w], inverse.base + q * ny * hx + r * hx, line)
        let out = outs[q].base + r * nx
        for x in 0..<nx { out[x] = line[x] * scale }
      }
    }
    return (0..<energies.count).map { e in
      (0..<threads).reduce(0.0) { $0 + partialEnergies[$1 * energies.count + e] } * Double(scale)
    }
  }
}
