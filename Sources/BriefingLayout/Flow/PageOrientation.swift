/// Which way a sheet is turned: portrait (taller than wide) or landscape (wider than tall).
public enum PageOrientation: String, Hashable, Sendable, Codable {
  case portrait
  case landscape
}
