/// A point in PostScript points, with the origin at the top-left and y pointing down.
public struct Point: Hashable, Sendable, Codable {
  public var x: Double
  public var y: Double

  public init(x: Double, y: Double) {
    self.x = x
    self.y = y
  }

  public static let zero = Point(x: 0, y: 0)

  /// Returns this point moved by `dx` and `dy`.
  public func offsetBy(dx: Double = 0, dy: Double = 0) -> Point {
    Point(x: x + dx, y: y + dy)
  }
}

/// A width and a height in points.
public struct Size: Hashable, Sendable, Codable {
  public var width: Double
  public var height: Double

  public init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  public static let zero = Size(width: 0, height: 0)
}

/// An axis-aligned rectangle in points.
public struct Rect: Hashable, Sendable, Codable {
  public var origin: Point
  public var size: Size

  public init(origin: Point, size: Size) {
    self.origin = origin
    self.size = size
  }

  public init(x: Double, y: Double, width: Double, height: Double) {
    self.init(origin: Point(x: x, y: y), size: Size(width: width, height: height))
  }

  public var minX: Double { origin.x }
  public var minY: Double { origin.y }
  public var maxX: Double { origin.x + size.width }
  public var maxY: Double { origin.y + size.height }
  public var width: Double { size.width }
  public var height: Double { size.height }

  /// Returns this rectangle moved by `dx` and `dy`.
  public func offsetBy(dx: Double = 0, dy: Double = 0) -> Rect {
    Rect(origin: origin.offsetBy(dx: dx, dy: dy), size: size)
  }

  /// Returns this rectangle shrunk by `insets` on each side.
  public func inset(by insets: EdgeInsets) -> Rect {
    Rect(
      x: minX + insets.left, y: minY + insets.top,
      width: width - insets.left - insets.right, height: height - insets.top - insets.bottom)
  }

  /// Returns this rectangle grown (negative values) or shrunk by `dx` on the left and right and
  /// `dy` at the top and bottom.
  public func insetBy(dx: Double, dy: Double) -> Rect {
    Rect(x: minX + dx, y: minY + dy, width: width - 2 * dx, height: height - 2 * dy)
  }

  /// Whether `other` lies wholly inside this rectangle, allowing `tolerance` points of slack.
  public func contains(_ other: Rect, tolerance: Double = 0.01) -> Bool {
    other.minX >= minX - tolerance && other.minY >= minY - tolerance
      && other.maxX <= maxX + tolerance && other.maxY <= maxY + tolerance
  }

  /// Whether the two rectangles share an area larger than `tolerance` points in both directions.
  public func overlaps(_ other: Rect, tolerance: Double = 0.01) -> Bool {
    min(maxX, other.maxX) - max(minX, other.minX) > tolerance
      && min(maxY, other.maxY) - max(minY, other.minY) > tolerance
  }

  /// The smallest rectangle that contains both.
  public func union(_ other: Rect) -> Rect {
    let x0 = min(minX, other.minX)
    let y0 = min(minY, other.minY)
    return Rect(x: x0, y: y0, width: max(maxX, other.maxX) - x0, height: max(maxY, other.maxY) - y0)
  }
}

/// Distances from the four edges of a rectangle, in points.
public struct EdgeInsets: Hashable, Sendable, Codable {
  public var top: Double
  public var left: Double
  public var bottom: Double
  public var right: Double

  public init(top: Double, left: Double, bottom: Double, right: Double) {
    self.top = top
    self.left = left
    self.bottom = bottom
    self.right = right
  }

  /// The same inset on every side.
  public init(all value: Double) {
    self.init(top: value, left: value, bottom: value, right: value)
  }
}

/// Standard paper sizes in points (1/72 inch).
public enum PaperSize: String, Sendable, Codable, CaseIterable {
  case a4
  case letter

  /// The portrait size of the sheet.
  public var portrait: Size {
    switch self {
    case .a4: Size(width: 595.2756, height: 841.8898)
    case .letter: Size(width: 612, height: 792)
    }
  }

  /// The sheet's size in the given orientation.
  public func size(landscape: Bool) -> Size {
    landscape ? Size(width: portrait.height, height: portrait.width) : portrait
  }
}
