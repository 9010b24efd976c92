// libFuzzer harness (scripts/fuzz.sh): a layout decodes, checks and composes, or throws
// BriefingError; a trap, a timeout or running out of memory is a finding.
import Briefing
import BriefingTestSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  do {
    try LayoutFuzzing.compose(yaml: Array(UnsafeBufferPointer(start: data, count: size)), measuring: FixedAdvanceMeasurer())
  } catch {
    // An error is the answer to a bad layout.
  }
  return 0
}
