#ifndef BRIEFING_CENGINESUPPORT_H
#define BRIEFING_CENGINESUPPORT_H

// What the query engine's hot loop needs and Swift lacks: cache prefetch hints and a 16-byte
// compare. Header-only; nothing to link.

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Starts loading the cache line at `address` for reading; never faults, whatever the address.
static inline __attribute__((always_inline)) void briefing_prefetch_read(const void *address) {
  __builtin_prefetch(address, 0, 3);
}

/// Starts loading the cache line at `address` for writing; never faults, whatever the address.
static inline __attribute__((always_inline)) void briefing_prefetch_write(const void *address) {
  __builtin_prefetch(address, 1, 3);
}

#if defined(__SSE2__)
/// Bit i set when byte i of the 16 bytes at `p` is `a`, `b` or `c` (SSE2: three compares and one
/// move-mask instead of a word-at-a-time bit trick per byte value).
static inline __attribute__((always_inline)) unsigned briefing_match3_16(
    const unsigned char *p, unsigned char a, unsigned char b, unsigned char c) {
  __m128i v = _mm_loadu_si128((const __m128i *)p);
  __m128i m = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)a)), _mm_cmpeq_epi8(v, _mm_set1_epi8((char)b))),
      _mm_cmpeq_epi8(v, _mm_set1_epi8((char)c)));
  return (unsigned)_mm_movemask_epi8(m);
}
#endif

#endif
