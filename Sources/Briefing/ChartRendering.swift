internal import BriefingCairo
internal import BriefingLayout

/// Draws one exported chart in one standalone format: the single place `build` and
/// `briefing chart` turn a chart into file bytes.
struct ChartRendering {
  let measurer: PangoTextMeasurer
  /// Pixels per point of PNG files.
  var pngScale: Double = 2

  /// The file's bytes of `chart` in `format`.
  func bytes(of chart: ChartExport, as format: LayoutSpec.ExportFormat) throws(CairoError) -> [UInt8] {
    let page = chart.page
    switch format {
    case .svg:
      switch chart.svgText {
      case .text:
        return SVGTextImage(size: page.size, description: chart.description, measurer: measurer).render(page: page)
      case .outlines:
        var image = try SVGImage(size: page.size, description: chart.description, measurer: measurer)
        try image.render(page: page)
        return try image.finish()
      }
    case .pdf:
      var pdf = try PDFDocument(pageSize: page.size, metadata: chart.metadata, measurer: measurer)
      try pdf.render(page: page)
      return try pdf.finish()
    case .png:
      var image = try PNGImage(size: page.size, pixelsPerPoint: pngScale, measurer: measurer)
      try image.render(page: page)
      return try image.finish()
    }
  }
}
