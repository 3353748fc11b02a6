/* xml.c — escaping text for XML output. */
#include "xml.h"
#include <string.h>

gboolean
bb_xml_char_ok (gunichar c)
{
  if (c == 0x9 || c == 0xA || c == 0xD)
    return TRUE;
  if (c < 0x20)
    return FALSE;
  /* C1 controls and DEL: allowed by XML 1.0 but discouraged, and never
   * meaningful in a briefing. */
  if (c >= 0x7F && c <= 0x9F)
    return FALSE;
  if (c >= 0xD800 && c <= 0xDFFF)
    return FALSE;
  /* Noncharacters. */
  if (c >= 0xFDD0 && c <= 0xFDEF)
    return FALSE;
  if ((c & 0xFFFE) == 0xFFFE)
    return FALSE;
  return c <= 0x10FFFF;
}

static void
append_escaped (GString *out, const char *s, gssize len, gboolean attr)
{
  if (!s)
    return;
  const char *p = s;
  const char *end = len < 0 ? s + strlen (s) : s + len;
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Invalid or truncated sequence: one replacement character per
           * bad byte keeps going without ever reading past end. */
          g_string_append (out, "\xEF\xBF\xBD");
          p++;
          continue;
        }
      const char *next = g_utf8_next_char (p);
      switch (c)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"':
          if (attr)
            g_string_append (out, "&quot;");
          else
            g_string_append_c (out, '"');
          break;
        case '\t': g_string_append (out, attr ? "&#9;" : "\t"); break;
        case '\n': g_string_append (out, attr ? "&#10;" : "\n"); break;
        case '\r': g_string_append (out, "&#13;"); break;
        default:
          if (bb_xml_char_ok (c))
            g_string_append_len (out, p, next - p);
          break;
        }
      p = next;
    }
}

void
bb_xml_append_text (GString *out, const char *s, gssize len)
{
  append_escaped (out, s, len, FALSE);
}

void
bb_xml_append_attr (GString *out, const char *s)
{
  append_escaped (out, s, -1, TRUE);
}

char *
bb_xml_escape (const char *s)
{
  GString *out = g_string_new (NULL);
  append_escaped (out, s, -1, FALSE);
  return g_string_free (out, FALSE);
}

static gboolean
name_start (gunichar c)
{
  return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
         || (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6)
         || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D)
         || (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D)
         || (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF)
         || (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF)
         || (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}

static gboolean
name_char (gunichar c)
{
  return name_start (c) || c == '-' || c == '.' || (c >= '0' && c <= '9')
         || c == 0xB7 || (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

gboolean
bb_xml_is_ncname (const char *s)
{
  if (!s || !*s || !g_utf8_validate (s, -1, NULL))
    return FALSE;
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (p == s ? !name_start (c) : !name_char (c))
        return FALSE;
    }
  return TRUE;
}
