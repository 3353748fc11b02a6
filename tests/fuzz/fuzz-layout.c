/* fuzz-layout.c — libFuzzer target for layout key files: any bytes give
 * NULL with a diagnostic or a layout that can be typeset: finite, positive
 * sizes, a text block that fits on the page, colours in range. */
#include "fuzz-common.h"
#include "layout.h"
#include <math.h>

static void
check_positive (const char *what, double v)
{
  FUZZ_CHECK (isfinite (v) && v > 0, "%s = %g", what, v);
}

static void
check_colour (const char *what, BbColour c)
{
  FUZZ_CHECK (c.r >= 0 && c.r <= 1 && c.g >= 0 && c.g <= 1 && c.b >= 0 && c.b <= 1,
              "%s = (%g, %g, %g)", what, c.r, c.g, c.b);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size > 64 * 1024)
    return 0;
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbLayout) l = bb_layout_parse ("layouts/fuzz.ini", (const char *) data, size, diag);
  if (!l)
    {
      FUZZ_CHECK (bb_diag_count (diag, BB_DIAG_ERROR) > 0, "layout refused without an error");
      return 0;
    }
  check_positive ("width", l->width);
  check_positive ("height", l->height);
  FUZZ_CHECK (isfinite (l->margin_top) && l->margin_top >= 0, "margin-top = %g", l->margin_top);
  FUZZ_CHECK (isfinite (l->margin_bottom) && l->margin_bottom >= 0, "margin-bottom = %g", l->margin_bottom);
  FUZZ_CHECK (isfinite (l->margin_inner) && l->margin_inner >= 0, "margin-inner = %g", l->margin_inner);
  FUZZ_CHECK (isfinite (l->margin_outer) && l->margin_outer >= 0, "margin-outer = %g", l->margin_outer);
  FUZZ_CHECK (l->width - l->margin_inner - l->margin_outer > 0, "no room across the page");
  FUZZ_CHECK (l->height - l->margin_top - l->margin_bottom > 0, "no room down the page");
  check_positive ("body-size", l->body_size);
  check_positive ("small-size", l->small_size);
  check_positive ("title-size", l->title_size);
  for (int i = 0; i < 3; i++)
    check_positive ("heading-size", l->heading_size[i]);
  check_positive ("leading", l->leading);
  FUZZ_CHECK (isfinite (l->paragraph_space) && l->paragraph_space >= 0, "paragraph-space = %g", l->paragraph_space);
  FUZZ_CHECK (l->body_font && l->heading_font, "no font family");
  if (!fuzz_lenient ())
    FUZZ_CHECK (*l->body_font && *l->heading_font, "an empty font family");
  fuzz_check_setting ("body font", l->body_font);
  fuzz_check_setting ("heading font", l->heading_font);
  fuzz_check_setting ("header-left", l->header_left);
  fuzz_check_setting ("header-right", l->header_right);
  fuzz_check_setting ("footer-center", l->footer_center);
  check_colour ("text", l->text);
  check_colour ("accent", l->accent);
  check_colour ("rule", l->rule);
  check_colour ("marking", l->marking);
  return 0;
}
