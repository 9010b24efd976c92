/// A figure derived from the groups of a query, applied by `QueryResult.deriving(_:)` in the order
/// the query lists them. Every source (files, an in-memory table, SQLite) answers the groups; the
/// derivations run here, once, for all of them.
public enum Derivation: Hashable, Sendable {
  /// Puts each row under a group: the key of one group-by dimension, or an attribute of the rows'
  /// keys from a names table (the federal district of a region). Rows are then ordered group by
  /// group, and `subtotals` closes each group.
  case group(Grouping)
  /// Orders the group rows (within their groups, and the groups themselves); rows an earlier
  /// derivation added (Other, subtotals, a total) follow them. Sort first, then fold and add up.
  case sort(SortOrder)
  /// Keeps the `count` largest rows of each partition, in the order the rows have (largest first
  /// when no sort came before), and folds the rest into one `.other` row after them. `within` names the group-by dimensions that
  /// partition the rows (none: all rows are one partition).
  case top(Int, otherLabel: String = "Other", within: [String] = [])
  /// A subtotal row after each group's rows (needs `group`).
  case subtotals(label: String = "Subtotal")
  /// A total row of every group (folded ones included) at the end.
  case total(label: String = "Total")
  /// Each row's share of the total of its partition.
  case share(within: [String] = [])
  /// Each row's change: against the query's comparison when it has one, else against the
  /// previous value of the dimension `along` (the nearest earlier period present).
  case change(along: String? = nil)
  /// Each group row's rank by value, largest first, within its partition; folded, subtotal and
  /// total rows take none.
  case rank(within: [String] = [])
}

/// How rows are put under groups.
public enum Grouping: Hashable, Sendable {
  /// By a group-by dimension of the query (not the last one, which names the rows).
  case dimension(String)
  /// By an attribute of the last group-by key: `values` maps a key to its group; `order` is the
  /// groups' listed order (used when sorting by key). Keys without a group share the group "".
  case attribute(String, values: [String: String], order: [String] = [])
}

/// The order of rows.
public enum SortOrder: Hashable, Sendable {
  /// By value, largest first unless `descending` is false; missing values last, ties by key.
  case value(descending: Bool = true)
  /// By key, dimension by dimension: periods and other numbers as numbers, else as text.
  case key
  /// The last key in the listed order; keys not listed come after, in key order. Groups (when
  /// sorting grouped rows) in their grouping's order.
  case listed([String])
  /// Rows of each partition (equal keys at the named dimensions) by value, largest first; the
  /// partitions keep their order. After `.key`: partitions in key order, each by value.
  case valueWithin([String])
  /// By the change (`Derivation.change`, which must come first): the relative change when
  /// `relative`, else the difference; largest first unless `descending` is false; rows with no
  /// change last, ties by key.
  case change(relative: Bool, descending: Bool = true)
}
