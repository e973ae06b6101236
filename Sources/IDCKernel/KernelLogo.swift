import Foundation

/// The kernel's logo, drawn in code: three clusters of dots (blue, green, orange) with one
/// sample at a border ringed in red — the samples IDC asks about. Written as PNG by a small
/// encoder (RGBA, stored deflate blocks), so idc ships no binary image.
enum KernelLogo {
  /// The logo as PNG bytes, `size`×`size` pixels.
  static func png(size: Int) -> [UInt8] {
    var pixels = [UInt8](repeating: 0, count: size * size * 4)
    let s = Double(size)
    func disc(_ cx: Double, _ cy: Double, _ r: Double, _ rgb: (UInt8, UInt8, UInt8), ring: Double = 0) {
      for y in 0..<size {
        for x in 0..<size {
          let d = hypot(Double(x) + 0.5 - cx * s, Double(y) + 0.5 - cy * s)
          let inside = ring > 0 ? abs(d - r * s) <= ring * s : d <= r * s
          guard inside else { continue }
          let i = (y * size + x) * 4
          pixels[i] = rgb.0; pixels[i + 1] = rgb.1; pixels[i + 2] = rgb.2; pixels[i + 3] = 255
        }
      }
    }
    let clusters: [((Double, Double), (UInt8, UInt8, UInt8))] = [
      ((0.30, 0.32), (0x1f, 0x77, 0xb4)), ((0.70, 0.30), (0x2c, 0xa0, 0x2c)), ((0.50, 0.72), (0xff, 0x7f, 0x0e)),
    ]
    let offsets = [(0.0, 0.0), (-0.11, 0.06), (0.1, 0.07), (0.02, -0.11), (-0.07, -0.08)]
    for (centre, colour) in clusters {
      for (dx, dy) in offsets { disc(centre.0 + dx, centre.1 + dy, 0.055, colour) }
    }
    disc(0.5, 0.47, 0.06, (0x55, 0x55, 0x55))
    disc(0.5, 0.47, 0.13, (0xd6, 0x27, 0x28), ring: 0.035)
    return encode(rgba: pixels, width: size, height: size)
  }

  /// A PNG file of 8-bit RGBA pixels (filter 0 on every row, zlib with stored blocks).
  static func encode(rgba: [UInt8], width: Int, height: Int) -> [UInt8] {
    var raw: [UInt8] = []
    raw.reserveCapacity((width * 4 + 1) * height)
    for y in 0..<height {
      raw.append(0)
      raw += rgba[(y * width * 4)..<((y + 1) * width * 4)]
    }
    var zlib: [UInt8] = [0x78, 0x01]
    var offset = 0
    repeat {
      let count = min(65_535, raw.count - offset)
      let last: UInt8 = offset + count == raw.count ? 1 : 0
      zlib += [last, UInt8(count & 0xff), UInt8(count >> 8), UInt8(~count & 0xff), UInt8((~count >> 8) & 0xff)]
      zlib += raw[offset..<(offset + count)]
      offset += count
    } while offset < raw.count
    zlib += bigEndian(adler32(raw))
    var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
    header += [8, 6, 0, 0, 0]
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", [])
  }

  static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let typed = Array(type.utf8) + data
    return bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
  }

  static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }

  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes {
      crc ^= UInt32(b)
      for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  static func adler32(_ bytes: [UInt8]) -> UInt32 {
    var a: UInt32 = 1, b: UInt32 = 0
    for x in bytes {
      a = (a + UInt32(x)) % 65_521
      b = (b + a) % 65_521
    }
    return b << 16 | a
  }
}
