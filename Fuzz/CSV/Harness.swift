// libFuzzer harness (scripts/fuzz.sh): the checks live in EngineFuzzing.csv, beside the code they check.
import BriefingAnalytics

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  EngineFuzzing.csv(Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}
