#ifndef BRIEFING_CSQLITE_SHIM_H
#define BRIEFING_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import:
/// bound text is copied by SQLite before the call returns.
static inline sqlite3_destructor_type CSQLite_transient(void) {
  return SQLITE_TRANSIENT;
}

/// The state of the `briefing_sum` aggregate: Neumaier's running sum and compensation, and how
/// many values were added (none: the result is NULL, as SUM's is).
typedef struct {
  double sum;
  double compensation;
  long long count;
} CSQLite_sum_state;

#endif
