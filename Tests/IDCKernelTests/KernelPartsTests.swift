import Foundation
import Testing
@testable import IDCKernel

/// The kernel's pieces that need no sockets: history search, cursor lines, the kernel spec
/// and its logo.
@Suite struct KernelPartsTests {
  @Test func historyGlobMatchesLikeIPython() {
    #expect(JupyterKernel.glob("*", matches: "anything"))
    #expect(JupyterKernel.glob("load*", matches: "load digits"))
    #expect(!JupyterKernel.glob("load*", matches: "kmeans"))
    #expect(JupyterKernel.glob("k?eans*", matches: "kmeans k=10"))
    #expect(JupyterKernel.glob("*k=10", matches: "kmeans k=10"))
    #expect(!JupyterKernel.glob("*k=1", matches: "kmeans k=10"))
  }

  @Test func cursorLineInAMultiLineCell() {
    let (line, start, column) = KernelSession.line(of: "load digits\nkme", at: 15)
    #expect(line == "kme")
    #expect(start == 12)
    #expect(column == 3)
    // Offsets count Unicode scalars, as the protocol does.
    let (line2, start2, column2) = KernelSession.line(of: "print \"é\"\nsel", at: 13)
    #expect(line2 == "sel")
    #expect(start2 == 10)
    #expect(column2 == 3)
  }

  @Test func kernelJSONNamesTheExecutableAndTheConnectionFile() throws {
    var spec = KernelSpec(executable: "/opt/idc/bin/idc")
    spec.displayName = "idc (test)"
    let json = try JSON.parse(Array(spec.json.utf8))
    #expect(json["argv"] == ["/opt/idc/bin/idc", "kernel", "{connection_file}"])
    #expect(json["display_name"]?.string == "idc (test)")
    #expect(json["language"]?.string == "idc")
    #expect(json["interrupt_mode"]?.string == "message")
  }

  @Test func kernelDirectories() {
    #expect(KernelSpec.directory(name: "idc", user: false, prefix: "/venv") == "/venv/share/jupyter/kernels/idc")
    #expect(KernelSpec.directory(name: "x", user: true, prefix: nil, environment: ["JUPYTER_DATA_DIR": "/d"]) == "/d/kernels/x")
    #expect(KernelSpec.directory(name: "idc", user: false, prefix: nil) == "/usr/local/share/jupyter/kernels/idc")
    #expect(KernelSpec.isValidName("idc-2.x_y"))
    #expect(!KernelSpec.isValidName("a b"))
    #expect(!KernelSpec.isValidName(""))
  }

  @Test func installWritesSpecAndLogos() throws {
    let dir = NSTemporaryDirectory() + "/idc-spec-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try KernelSpec(executable: "/bin/idc").install(into: dir + "/kernels/idc")
    let listed = try FileManager.default.contentsOfDirectory(atPath: dir + "/kernels/idc").sorted()
    #expect(listed == ["kernel.json", "logo-32x32.png", "logo-64x64.png"])
  }

  @Test func logoIsAWellFormedPNG() {
    let png = KernelLogo.png(size: 32)
    #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    // IHDR: 32 × 32, 8-bit RGBA; every chunk's CRC checks.
    #expect(Array(png[16..<24]) == [0, 0, 0, 32, 0, 0, 0, 32])
    #expect(png[24] == 8 && png[25] == 6)
    var offset = 8
    var types: [String] = []
    while offset < png.count {
      let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8 | Int(png[offset + 3])
      let typed = Array(png[(offset + 4)..<(offset + 8 + length)])
      let crc = png[(offset + 8 + length)..<(offset + 12 + length)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
      #expect(KernelLogo.crc32(typed) == crc)
      types.append(String(decoding: typed.prefix(4), as: UTF8.self))
      offset += 12 + length
    }
    #expect(types == ["IHDR", "IDAT", "IEND"])
  }

  @Test func crcAndAdlerMatchKnownValues() {
    #expect(KernelLogo.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(KernelLogo.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
  }
}
