/* xml.h — writing XML text safely.
 *
 * Every string that reaches the EPUB from a source goes through these
 * helpers: markup characters are escaped, and characters XML 1.0 does not
 * allow (C0 controls, lone surrogates, U+FFFE/U+FFFF) are dropped, together
 * with C1 controls and noncharacters, which reading systems mishandle.
 * Invalid UTF-8 becomes U+FFFD.  The output is always well-formed text.
 */
#pragma once
#include <glib.h>

/* True when c may appear in the XML we write. */
gboolean bb_xml_char_ok (gunichar c);

/* Appends len bytes of s (len < 0: up to NUL) to out as escaped character
 * data: & < > are escaped, so "]]>" can never close anything. */
void bb_xml_append_text (GString *out, const char *s, gssize len);

/* Appends s as an escaped attribute value (without the quotes): also
 * escapes the double quote and turns tab/newline into character references
 * so that attribute-value normalisation keeps them. */
void bb_xml_append_attr (GString *out, const char *s);

/* Returns s escaped as character data; caller frees. */
char *bb_xml_escape (const char *s);

/* True when s is a valid XML NCName (usable as an id). */
gboolean bb_xml_is_ncname (const char *s);
