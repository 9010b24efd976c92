#ifndef BRIEFING_CPREFETCH_H
#define BRIEFING_CPREFETCH_H

// Cache prefetch hints for the query engine's hot loop: Swift has no prefetch of its own.
// Header-only; nothing to link.

/// Starts loading the cache line at `address` for reading; never faults, whatever the address.
static inline __attribute__((always_inline)) void briefing_prefetch_read(const void *address) {
  __builtin_prefetch(address, 0, 3);
}

/// Starts loading the cache line at `address` for writing; never faults, whatever the address.
static inline __attribute__((always_inline)) void briefing_prefetch_write(const void *address) {
  __builtin_prefetch(address, 1, 3);
}

#endif
