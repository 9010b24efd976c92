#ifndef BRIEFING_CCAIRO_SHIM_H
#define BRIEFING_CCAIRO_SHIM_H
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>
// The font set a build may use is pinned through fontconfig (see FontSet.swift).
#include <fontconfig/fontconfig.h>
#include <pango/pangofc-fontmap.h>
// PNG files are deflated here rather than by cairo's libpng writer (see PNGEncoder.swift).
#include <zlib.h>

// deflateInit2 is a macro, which Swift cannot call.
static inline int briefing_deflate_init(z_stream *stream, int level) {
  return deflateInit2(stream, level, Z_DEFLATED, 15, 9, Z_DEFAULT_STRATEGY);
}

// zlib's crc32 under a name that does not clash with Swift code of the same name.
static inline unsigned long zlib_crc32(unsigned long crc, const unsigned char *bytes, unsigned int length) {
  return crc32(crc, bytes, length);
}
#endif
