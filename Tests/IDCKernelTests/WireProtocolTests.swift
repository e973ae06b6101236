import Foundation
import Testing
@testable import IDCKernel

/// The wire format and its signing (Jupyter messaging, "The wire protocol").
@Suite struct WireProtocolTests {
  let signer = MessageSigner(key: "a0436f6c-1916-498b-8eb9-e81ab9368e84")

  @Test func hmacMatchesRFC4231() {
    // RFC 4231, test case 2: key "Jefe", one frame.
    let sig = MessageSigner(key: "Jefe").signature([Array("what do ya want for nothing?".utf8)])
    #expect(sig == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
  }

  @Test func signatureCoversTheFourFramesInOrder() {
    let frames = [Array("{\"a\":1}".utf8), Array("{}".utf8), Array("{}".utf8), Array("{\"b\":2}".utf8)]
    let joined = MessageSigner(key: "k").signature([frames.flatMap { $0 }])
    #expect(MessageSigner(key: "k").signature(frames) == joined)
    #expect(MessageSigner(key: "k").verify(Array(joined.utf8), frames))
    #expect(!MessageSigner(key: "k").verify(Array(joined.utf8), frames.reversed()))
  }

  func sample() -> KernelMessage {
    KernelMessage(identities: [Array("client-1".utf8)], header: KernelMessage.header(type: "execute_request", session: "s"),
                  parentHeader: [:], metadata: [:], content: ["code": "print \"hello, world\"", "silent": false], buffers: [])
  }

  @Test func encodeThenDecodeRoundTrips() throws {
    let message = sample()
    let decoded = try KernelMessage.decode(message.encode(signer: signer), signer: signer)
    #expect(decoded.identities == message.identities)
    #expect(decoded.type == "execute_request")
    #expect(decoded.content == message.content)
    #expect(decoded.header == message.header)
  }

  @Test func aWrongSignatureIsRefused() {
    var frames = sample().encode(signer: MessageSigner(key: "another key"))
    #expect(throws: KernelMessage.DecodingError.badSignature) { try KernelMessage.decode(frames, signer: signer) }
    // One changed byte of the content, the signature kept.
    frames = sample().encode(signer: signer)
    frames[frames.count - 1][2] ^= 1
    #expect(throws: KernelMessage.DecodingError.badSignature) { try KernelMessage.decode(frames, signer: signer) }
    // Not hex at all.
    frames = sample().encode(signer: signer)
    frames[2] = Array("zz".utf8)
    #expect(throws: KernelMessage.DecodingError.badSignature) { try KernelMessage.decode(frames, signer: signer) }
  }

  @Test func malformedMessagesAreRefused() {
    let unsigned = MessageSigner(key: "")
    #expect(throws: KernelMessage.DecodingError.noDelimiter) { try KernelMessage.decode([Array("hello".utf8)], signer: unsigned) }
    #expect(throws: KernelMessage.DecodingError.tooFewFrames(2)) {
      try KernelMessage.decode([KernelMessage.delimiter, [], Array("{}".utf8)], signer: unsigned)
    }
    let notJSON = [KernelMessage.delimiter, [], Array("{\"msg_type\": \"x\"}".utf8), Array("{}".utf8), Array("{}".utf8), Array("[1,".utf8)]
    #expect(throws: KernelMessage.DecodingError.notJSON(part: "content")) { try KernelMessage.decode(notJSON, signer: unsigned) }
    let noType = [KernelMessage.delimiter, [], Array("{}".utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]
    #expect(throws: KernelMessage.DecodingError.noMessageType) { try KernelMessage.decode(noType, signer: unsigned) }
  }

  @Test func anEmptyKeyMeansUnsigned() throws {
    let unsigned = MessageSigner(key: "")
    let frames = sample().encode(signer: unsigned)
    #expect(frames[2].isEmpty)
    #expect(try KernelMessage.decode(frames, signer: unsigned).type == "execute_request")
  }

  @Test func jsonKeepsIntegersBooleansAndUnicode() throws {
    let parsed = try JSON.parse(Array("{\"n\": 3, \"x\": 2.5, \"b\": true, \"s\": \"é→\", \"a\": [null]}".utf8))
    #expect(parsed["n"] == .int(3))
    #expect(parsed["x"] == .double(2.5))
    #expect(parsed["b"] == .bool(true))
    #expect(parsed["s"]?.string == "é→")
    #expect(parsed["a"] == .array([.null]))
    #expect(try JSON.parse(parsed.encoded) == parsed)
  }

  @Test func timestampsAreISO8601WithMicroseconds() {
    let text = KernelMessage.timestamp(Date(timeIntervalSince1970: 1_700_000_000.25))
    #expect(text == "2023-11-14T22:13:20.250000Z")
  }

  @Test func connectionFileEndpoints() throws {
    let path = NSTemporaryDirectory() + "/idc-conn-\(getpid()).json"
    try Data("""
      {"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
       "ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "idc"}
      """.utf8).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let file = try ConnectionFile.read(path: path)
    #expect(file.endpoint(file.shellPort) == "tcp://127.0.0.1:1")
    #expect(file.endpoint(file.heartbeatPort) == "tcp://127.0.0.1:5")
    try Data("{\"shell_port\": 1}".utf8).write(to: URL(fileURLWithPath: path))
    #expect(throws: KernelError.self) { try ConnectionFile.read(path: path) }
  }
}
