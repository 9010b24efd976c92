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
#include <libdeflate.h>
#endif
