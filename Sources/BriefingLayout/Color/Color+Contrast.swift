extension Color {
  /// The relative luminance of WCAG 2.x: 0 for black, 1 for white, from the linear components
  /// weighted 0.2126 red, 0.7152 green, 0.0722 blue. Alpha is ignored: composite a translucent
  /// colour over its background first.
  public var relativeLuminance: Double {
    let linear = linearComponents
    return 0.2126 * linear.x + 0.7152 * linear.y + 0.0722 * linear.z
  }

  /// Returns the WCAG 2.x contrast ratio between this colour and `other`, from 1 (the same
  /// luminance) to 21 (black on white): (L_lighter + 0.05) / (L_darker + 0.05).
  ///
  /// WCAG asks 4.5:1 for body text (`ColorCheck.minimumTextContrast`) and 3:1 for the parts of a
  /// graphic needed to understand it, such as bars against the page.
  public func contrastRatio(with other: Color) -> Double {
    let (first, second) = (relativeLuminance, other.relativeLuminance)
    return (max(first, second) + 0.05) / (min(first, second) + 0.05)
  }
}
