/* pdfmerge.c — joins Cairo's PDFs of consecutive page runs (see pdfmerge.h).
 *
 * Decisions written down here:
 * - Every object of a part is copied once, in the order it was written,
 *   under a new number; references (`N 0 R`) are renumbered and the
 *   structure-parent keys of pages and annotations (/StructParents,
 *   /StructParent) moved past the parts before it.  Streams are copied
 *   byte for byte: nothing in them names an object.
 * - The objects that describe the whole document are not copied but
 *   merged, and written last under fixed numbers (1 to 7): the page tree,
 *   the structure tree root with its parent tree, the names dictionary and
 *   its destinations, the page labels and the catalog.  A part's
 *   references to its page tree (/Parent) and its structure tree root (/P)
 *   become references to the merged ones; a reference to any other
 *   dropped object is an error rather than a dangling link.
 * - Links name their destinations (Cairo writes `/Dest (name)` for every
 *   destination not marked internal, and pdf.c marks none), so a link may
 *   point into another part: the merged name tree holds every part's
 *   destinations, sorted again by their bytes as the name tree requires.
 * - Each part embeds its own subsets of the fonts it drew with: a part
 *   of a few hundred pages adds about a percent to the file.
 * - Parts may be joined in any order (pdf.c joins the body's before the
 *   front matter's): each says which pages it holds, and the page tree,
 *   the structure tree root's kids and the page labels are written in the
 *   pages' order at the end.  Objects are numbered, and structure-parent
 *   keys given, in the order the parts come, which keeps the parent
 *   tree's keys ascending.
 * - The parser reads what Cairo 1.16 writes and nothing more general: one
 *   classic xref section, flat /Nums and /Names arrays.  Anything else is
 *   reported, so a Cairo that writes differently fails loudly.
 */
#include "pdfmerge.h"
#include "numfmt.h"
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

/* Numbers of the merged document's own objects. */
enum { N_PAGES = 1, N_STRUCT, N_PARENTS, N_NAMES, N_DESTS, N_LABELS, N_CATALOG, N_FIRST_FREE };

typedef struct {
  char *key;    /* the name's bytes, for sorting */
  gsize keylen;
  char *entry;  /* "(name) value", renumbered */
} Dest;

/* What a part gives the trees that follow the pages, kept until the
 * parts are put in the order of their pages (bb_pdf_merge_finish). */
typedef struct {
  guint first, count;   /* its pages: first, first + 1, … */
  GString *kids;        /* its pages in the page tree */
  GString *struct_kids; /* its kids of the structure tree root */
  GString *labels;      /* its page labels' /Nums, keyed by the document's page */
} Placed;

struct _BbPdfMerge {
  BbPdfMergeWrite write;
  gpointer closure;
  gboolean write_failed;
  guint64 pos;          /* bytes written */
  GArray *offsets;      /* guint64 by object number (0 unused) */
  guint parts;
  GPtrArray *placed;    /* Placed*, in the order the parts were added */
  guint pages;
  gboolean tagged;
  GString *parents;     /* the parent tree's /Nums */
  guint next_parent;    /* the first structure-parent key of the next part */
  GPtrArray *dests;     /* Dest* */
  guint outlines, info; /* new numbers, 0: none */
};

static void
placed_free (gpointer data)
{
  Placed *pl = data;
  g_string_free (pl->kids, TRUE);
  g_string_free (pl->struct_kids, TRUE);
  g_string_free (pl->labels, TRUE);
  g_free (pl);
}

static int
placed_cmp (gconstpointer a, gconstpointer b)
{
  const Placed *x = *(Placed *const *) a, *y = *(Placed *const *) b;
  return (x->first > y->first) - (x->first < y->first);
}

typedef struct {
  const char *d, *end;  /* the part */
  guint n;              /* its xref size */
  guint64 *off;         /* by object number; 0: free */
  const char **stop;    /* where each object's bytes end */
  guint *order;         /* object numbers in file order */
  guint norder;
  guint32 *map;         /* new numbers; 0: dropped */
  guint parent_base, page_base;
  guint parent_max;     /* the largest structure-parent key seen, + 1 */
  gboolean bad_ref;
} Part;

/* ---- output ------------------------------------------------------------------ */

static void
out (BbPdfMerge *m, const void *data, gsize len)
{
  if (len == 0 || m->write_failed)
    return;
  if (!m->write ((const guint8 *) data, len, m->closure))
    m->write_failed = TRUE;
  m->pos += len;
}

static void
out_str (BbPdfMerge *m, const GString *s)
{
  out (m, s->str, s->len);
}

static void
begin_object (BbPdfMerge *m, guint num)
{
  if (m->offsets->len <= num)
    g_array_set_size (m->offsets, num + 1);
  g_array_index (m->offsets, guint64, num) = m->pos;
  char head[32];
  int k = g_snprintf (head, sizeof head, "%u 0 obj\n", num);
  out (m, head, (gsize) k);
}

/* ---- reading ----------------------------------------------------------------- */

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static gboolean
is_delim (char c)
{
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}'
         || c == '/' || c == '%';
}

static gboolean
is_regular (char c)
{
  return !is_space (c) && !is_delim (c);
}

static const char *
skip_space (const char *p, const char *e)
{
  for (;;)
    {
      while (p < e && is_space (*p))
        p++;
      if (p < e && *p == '%')
        {
          while (p < e && *p != '\n' && *p != '\r')
            p++;
          continue;
        }
      return p;
    }
}

/* The end of a literal string starting at p ('('). */
static const char *
skip_literal (const char *p, const char *e)
{
  int depth = 0;
  for (; p < e; p++)
    {
      if (*p == '\\')
        p++;
      else if (*p == '(')
        depth++;
      else if (*p == ')' && --depth == 0)
        return p + 1;
    }
  return e;
}

/* Reads an unsigned integer token; NULL if p does not start one. */
static const char *
read_uint (const char *p, const char *e, guint64 *v)
{
  const char *s = p;
  guint64 x = 0;
  while (p < e && g_ascii_isdigit (*p) && p - s < 18)
    x = x * 10 + (guint64) (*p++ - '0');
  if (p == s || (p < e && is_regular (*p)))
    return NULL;
  *v = x;
  return p;
}

/* If p starts a reference "N G R", its end, with N in *num. */
static const char *
read_ref (const char *p, const char *e, guint64 *num)
{
  guint64 gen;
  const char *q = read_uint (p, e, num);
  if (!q || q >= e || !is_space (*q))
    return NULL;
  q = skip_space (q, e);
  q = read_uint (q, e, &gen);
  if (!q || q >= e || !is_space (*q))
    return NULL;
  q = skip_space (q, e);
  if (q < e && *q == 'R' && (q + 1 == e || !is_regular (q[1])))
    return q + 1;
  return NULL;
}

/* The end of the value (any object, a reference counting as one) at p. */
static const char *
skip_value (const char *p, const char *e)
{
  p = skip_space (p, e);
  if (p >= e)
    return e;
  guint64 v;
  const char *r;
  switch (*p)
    {
    case '(':
      return skip_literal (p, e);
    case '<':
      if (p + 1 < e && p[1] == '<')
        {
          p += 2;
          for (;;)
            {
              p = skip_space (p, e);
              if (p >= e)
                return e;
              if (*p == '>' && p + 1 < e && p[1] == '>')
                return p + 2;
              p = skip_value (p, e);
            }
        }
      while (p < e && *p != '>')
        p++;
      return p < e ? p + 1 : e;
    case '[':
      p++;
      for (;;)
        {
          p = skip_space (p, e);
          if (p >= e)
            return e;
          if (*p == ']')
            return p + 1;
          p = skip_value (p, e);
        }
    case '/':
      p++;
      while (p < e && is_regular (*p))
        p++;
      return p;
    default:
      if ((r = read_ref (p, e, &v)))
        return r;
      if (!is_regular (*p))
        return p + 1; /* a stray delimiter: step over it */
      while (p < e && is_regular (*p))
        p++;
      return p;
    }
}

/* The value of key (with its slash) in the dictionary at p, or NULL. */
static const char *
dict_get (const char *p, const char *e, const char *key, const char **vend)
{
  p = skip_space (p, e);
  if (p + 1 >= e || p[0] != '<' || p[1] != '<')
    return NULL;
  p += 2;
  gsize kl = strlen (key);
  for (;;)
    {
      p = skip_space (p, e);
      if (p >= e || *p != '/')
        return NULL;
      const char *k = p;
      p = skip_value (p, e);
      gboolean hit = (gsize) (p - k) == kl && memcmp (k, key, kl) == 0;
      const char *v = skip_space (p, e);
      p = skip_value (v, e);
      if (hit)
        {
          *vend = p;
          return v;
        }
    }
}

/* The object number key refers to in the dictionary at p, or 0. */
static guint
dict_ref (const char *p, const char *e, const char *key)
{
  const char *ve, *v = dict_get (p, e, key, &ve);
  guint64 n;
  return v && read_ref (v, ve, &n) && n < G_MAXUINT ? (guint) n : 0;
}

/* The bytes of object i after "i 0 obj", to the end of its bytes. */
static const char *
object_body (const Part *pt, guint i, const char **end)
{
  if (i == 0 || i >= pt->n || !pt->off[i])
    return NULL;
  const char *p = pt->d + pt->off[i], *e = pt->stop[i];
  guint64 num, gen;
  p = read_uint (p, e, &num);
  if (!p || num != i)
    return NULL;
  p = read_uint (skip_space (p, e), e, &gen);
  if (!p)
    return NULL;
  p = skip_space (p, e);
  if (e - p < 3 || memcmp (p, "obj", 3) != 0)
    return NULL;
  *end = e;
  return p + 3;
}

static int
cmp_offset (const void *a, const void *b, void *data)
{
  const guint64 *off = data;
  guint64 x = off[*(const guint *) a], y = off[*(const guint *) b];
  return x < y ? -1 : x > y;
}

static gboolean
part_read (Part *pt, const guint8 *pdf, gsize len, GError **error)
{
  pt->d = (const char *) pdf;
  pt->end = pt->d + len;
  const char *e = pt->end;
  /* startxref near the end */
  const char *sx = NULL;
  for (const char *s = e - MIN (len, 64); s + 9 <= e; s++)
    if (memcmp (s, "startxref", 9) == 0)
      sx = s;
  guint64 xoff, n, first;
  const char *p = sx ? read_uint (skip_space (sx + 9, e), e, &xoff) : NULL;
  if (!p || xoff >= len || len - xoff < 4 || memcmp (pt->d + xoff, "xref", 4) != 0)
    goto bad;
  p = skip_space (pt->d + xoff + 4, e);
  if (!(p = read_uint (p, e, &first)) || first != 0 || !(p = read_uint (skip_space (p, e), e, &n)) || n < 2
      || n > len / 18)
    goto bad;
  pt->n = (guint) n;
  pt->off = g_new0 (guint64, n);
  pt->stop = g_new0 (const char *, n);
  pt->order = g_new (guint, n);
  pt->map = g_new0 (guint32, n);
  for (guint i = 0; i < n; i++)
    {
      guint64 o, gen;
      if (!(p = read_uint (skip_space (p, e), e, &o)) || !(p = read_uint (skip_space (p, e), e, &gen)))
        goto bad;
      p = skip_space (p, e);
      if (p >= e || (*p != 'n' && *p != 'f'))
        goto bad;
      if (*p++ == 'n')
        {
          if (o == 0 || o >= xoff)
            goto bad;
          pt->off[i] = o;
          pt->order[pt->norder++] = i;
        }
    }
  g_qsort_with_data (pt->order, (gint) pt->norder, sizeof (guint), cmp_offset, pt->off);
  for (guint k = 0; k < pt->norder; k++)
    pt->stop[pt->order[k]] = k + 1 < pt->norder ? pt->d + pt->off[pt->order[k + 1]] : pt->d + xoff;
  return TRUE;
bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a part of the PDF has no cross-reference table "
               "that can be read");
  return FALSE;
}

static void
part_clear (Part *pt)
{
  g_free (pt->off);
  g_free (pt->stop);
  g_free (pt->order);
  g_free (pt->map);
}

/* ---- rewriting ----------------------------------------------------------------- */

static gboolean
name_is (const char *s, const char *e, const char *name)
{
  gsize l = strlen (name);
  return (gsize) (e - s) == l && memcmp (s, name, l) == 0;
}

/* The bytes rewrite stops at; everything else is copied as it comes. */
static gboolean
is_special (char c)
{
  return c == '(' || c == '<' || c == '%' || c == '/' || c == 'R' || c == 's';
}

/* Appends p..e to o with references renumbered and structure-parent keys
 * moved; stops at a top-level `stream` keyword and returns where it is
 * (e when there is none).  A reference is found at its R and read
 * backwards: the number and generation before it are digits and spaces,
 * which were copied as they are. */
static const char *
rewrite (Part *pt, const char *p, const char *e, GString *o)
{
  const char *start = p, *run = p;
  while (p < e)
    {
      if (!is_special (*p))
        {
          p++;
          continue;
        }
      g_string_append_len (o, run, p - run);
      const char *s = p;
      guint64 v;
      switch (*p)
        {
        case '(':
          p = skip_literal (p, e);
          break;
        case '%':
          while (p < e && *p != '\n' && *p != '\r')
            p++;
          break;
        case '<':
          if (p + 1 < e && p[1] == '<')
            p += 2;
          else
            {
              while (p < e && *p != '>')
                p++;
              p = p < e ? p + 1 : e;
            }
          break;
        case '/':
          p++;
          while (p < e && is_regular (*p))
            p++;
          if (name_is (s, p, "/StructParents") || name_is (s, p, "/StructParent"))
            {
              const char *q = skip_space (p, e);
              const char *qe = read_uint (q, e, &v);
              if (qe)
                {
                  g_string_append_len (o, s, q - s);
                  pt->parent_max = MAX (pt->parent_max, (guint) v + 1);
                  bb_numfmt_append_uint (o, v + pt->parent_base);
                  run = p = qe;
                  continue;
                }
            }
          break;
        case 's':
          if (e - p >= 6 && memcmp (p, "stream", 6) == 0 && (p == start || !is_regular (p[-1]))
              && (p + 6 == e || !is_regular (p[6])))
            return p;
          p++;
          break;
        case 'R':
          p++;
          if ((p < e && is_regular (*p)) || s == start || !is_space (s[-1]))
            break;
          {
            /* back over the generation and the number */
            const char *q = s;
            while (q > start && is_space (q[-1]))
              q--;
            const char *g = q;
            while (g > start && g_ascii_isdigit (g[-1]))
              g--;
            const char *n = g;
            while (n > start && is_space (n[-1]))
              n--;
            const char *ne = n;
            while (n > start && g_ascii_isdigit (n[-1]))
              n--;
            if (g == q || n == ne || ne == g || (n > start && is_regular (n[-1])) || !read_uint (n, ne, &v))
              break;
            g_string_truncate (o, o->len - (gsize) (s - n));
            guint32 to = v < pt->n ? pt->map[v] : 0;
            if (!to)
              pt->bad_ref = TRUE;
            bb_numfmt_append_uint (o, to);
            g_string_append (o, " 0 R");
            run = p;
            continue;
          }
        }
      g_string_append_len (o, s, p - s);
      run = p;
    }
  g_string_append_len (o, run, p - run);
  return e;
}

/* Calls fn for each key–value pair of the flat array at p..e. */
typedef void (*PairFunc) (Part *pt, const char *k, const char *ke, const char *v, const char *ve, gpointer data);

static gboolean
each_pair (Part *pt, const char *p, const char *e, PairFunc fn, gpointer data)
{
  p = skip_space (p, e);
  if (p >= e || *p != '[')
    return FALSE;
  p++;
  for (;;)
    {
      p = skip_space (p, e);
      if (p >= e)
        return FALSE;
      if (*p == ']')
        return TRUE;
      const char *k = p, *ke = skip_value (p, e);
      const char *v = skip_space (ke, e), *ve = skip_value (v, e);
      if (v >= e || *v == ']')
        return FALSE;
      fn (pt, k, ke, v, ve, data);
      p = ve;
    }
}

/* A /Nums pair: the key moved by *(guint *) base[0], the value renumbered. */
typedef struct {
  GString *to;
  guint base;
  guint max;  /* the largest key + 1 */
  gboolean zero, bad;  /* key 0 seen; a key that is not a number */
} NumsOut;

static void
num_pair (Part *pt, const char *k, const char *ke, const char *v, const char *ve, gpointer data)
{
  NumsOut *no = data;
  guint64 key;
  if (!read_uint (k, ke, &key) || key > G_MAXUINT / 2)
    {
      no->bad = TRUE;
      return;
    }
  no->max = MAX (no->max, (guint) key + 1);
  no->zero |= key == 0;
  g_string_append (no->to, "   ");
  bb_numfmt_append_uint (no->to, key + no->base);
  g_string_append_c (no->to, ' ');
  rewrite (pt, v, ve, no->to);
  g_string_append_c (no->to, '\n');
}

static gboolean
merge_nums (Part *pt, guint obj, GString *to, guint base, guint *max, gboolean *zero)
{
  const char *e, *b = object_body (pt, obj, &e);
  const char *ve, *v = b ? dict_get (b, e, "/Nums", &ve) : NULL;
  NumsOut no = { to, base, 0, FALSE, FALSE };
  if (!v || !each_pair (pt, v, ve, num_pair, &no) || no.bad)
    return FALSE;
  if (max)
    *max = no.max;
  if (zero)
    *zero = no.zero;
  return TRUE;
}

/* The bytes a PDF string stands for, for sorting names. */
static char *
string_bytes (const char *s, const char *e, gsize *len)
{
  GString *o = g_string_new (NULL);
  if (s < e && *s == '<')
    {
      int hi = -1;
      for (s++; s < e && *s != '>'; s++)
        if (g_ascii_isxdigit (*s))
          {
            int d = g_ascii_xdigit_value (*s);
            if (hi < 0)
              hi = d;
            else
              {
                g_string_append_c (o, (char) (hi * 16 + d));
                hi = -1;
              }
          }
      if (hi >= 0)
        g_string_append_c (o, (char) (hi * 16));
    }
  else if (s < e && *s == '(')
    {
      for (s++, e--; s < e; s++)
        {
          if (*s != '\\' || s + 1 >= e)
            {
              g_string_append_c (o, *s);
              continue;
            }
          char c = *++s;
          const char *esc = strchr ("n\nr\rt\tb\bf\f", c);
          if (esc && (esc - "n\nr\rt\tb\bf\f") % 2 == 0)
            g_string_append_c (o, esc[1]);
          else if (c >= '0' && c <= '7')
            {
              int x = 0;
              for (int d = 0; d < 3 && s < e && *s >= '0' && *s <= '7'; d++, s++)
                x = x * 8 + (*s - '0');
              s--;
              g_string_append_c (o, (char) x);
            }
          else if (c != '\n' && c != '\r')
            g_string_append_c (o, c);
        }
    }
  *len = o->len;
  return g_string_free (o, FALSE);
}

static void
dest_pair (Part *pt, const char *k, const char *ke, const char *v, const char *ve, gpointer data)
{
  BbPdfMerge *m = data;
  Dest *d = g_new (Dest, 1);
  d->key = string_bytes (k, ke, &d->keylen);
  GString *o = g_string_new (NULL);
  g_string_append_len (o, k, ke - k);
  g_string_append_c (o, ' ');
  rewrite (pt, v, ve, o);
  d->entry = g_string_free (o, FALSE);
  g_ptr_array_add (m->dests, d);
}

static void
dest_free (gpointer p)
{
  Dest *d = p;
  if (!d)
    return;
  g_free (d->key);
  g_free (d->entry);
  g_free (d);
}

static int
dest_cmp (const void *a, const void *b)
{
  const Dest *x = *(Dest *const *) a, *y = *(Dest *const *) b;
  int c = memcmp (x->key, y->key, MIN (x->keylen, y->keylen));
  return c ? c : (x->keylen > y->keylen) - (x->keylen < y->keylen);
}

/* ---- the merge ------------------------------------------------------------------- */

BbPdfMerge *
bb_pdf_merge_new (BbPdfMergeWrite write, gpointer closure)
{
  BbPdfMerge *m = g_new0 (BbPdfMerge, 1);
  m->write = write;
  m->closure = closure;
  m->offsets = g_array_new (FALSE, TRUE, sizeof (guint64));
  g_array_set_size (m->offsets, N_FIRST_FREE);
  m->placed = g_ptr_array_new_with_free_func (placed_free);
  m->parents = g_string_new (NULL);
  m->dests = g_ptr_array_new_with_free_func (dest_free);
  return m;
}

void
bb_pdf_merge_free (BbPdfMerge *m)
{
  if (!m)
    return;
  g_array_unref (m->offsets);
  g_ptr_array_unref (m->placed);
  g_string_free (m->parents, TRUE);
  g_ptr_array_unref (m->dests);
  g_free (m);
}

static gboolean
part_fail (GError **error, const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a part of the PDF cannot be joined: %s", what);
  return FALSE;
}

static gboolean
merge_part (BbPdfMerge *m, Part *pt, guint first_page, GError **error)
{
  /* the trailer follows the xref entries */
  const char *tr = NULL;
  for (const char *s = pt->stop[pt->order[pt->norder - 1]]; s + 7 <= pt->end; s++)
    if (memcmp (s, "trailer", 7) == 0)
      {
        tr = s + 7;
        break;
      }
  if (!tr)
    return part_fail (error, "no trailer");
  const char *te = pt->end;
  guint root = dict_ref (tr, te, "/Root"), info = dict_ref (tr, te, "/Info");
  const char *ce, *cb = object_body (pt, root, &ce);
  if (!cb)
    return part_fail (error, "no catalog");
  guint pages = dict_ref (cb, ce, "/Pages"), sroot = dict_ref (cb, ce, "/StructTreeRoot");
  guint outlines = dict_ref (cb, ce, "/Outlines"), labels = dict_ref (cb, ce, "/PageLabels");
  guint names = dict_ref (cb, ce, "/Names"), dests = 0, parents = 0;
  const char *e, *b;
  if (names && (b = object_body (pt, names, &e)))
    dests = dict_ref (b, e, "/Dests");
  if (sroot && (b = object_body (pt, sroot, &e)))
    parents = dict_ref (b, e, "/ParentTree");
  if (!pages)
    return part_fail (error, "no page tree");

  /* new numbers: the dropped objects get none, but the page tree and the
   * structure tree root stand for the merged ones */
  guint drop[] = { root, pages, sroot, parents, names, dests, labels, first_page > 0 ? info : 0 };
  guint next = m->offsets->len;
  for (guint k = 0; k < pt->norder; k++)
    {
      guint i = pt->order[k];
      gboolean dropped = FALSE;
      for (guint d = 0; d < G_N_ELEMENTS (drop); d++)
        dropped |= drop[d] == i;
      if (!dropped)
        pt->map[i] = next++;
    }
  pt->map[pages] = N_PAGES;
  if (sroot)
    pt->map[sroot] = N_STRUCT;
  pt->parent_base = m->next_parent;
  pt->page_base = first_page;
  Placed *pl = g_new0 (Placed, 1);
  pl->first = first_page;
  pl->kids = g_string_new (NULL);
  pl->struct_kids = g_string_new (NULL);
  pl->labels = g_string_new (NULL);
  g_ptr_array_add (m->placed, pl);

  /* the document's trees */
  b = object_body (pt, pages, &e);
  const char *ke, *kv = b ? dict_get (b, e, "/Kids", &ke) : NULL;
  if (!kv)
    return part_fail (error, "no page list");
  for (const char *p = skip_space (kv, ke) + 1; (p = skip_space (p, ke)) < ke && *p != ']';)
    {
      guint64 num;
      const char *r = read_ref (p, ke, &num);
      if (!r || num >= pt->n || !pt->map[num])
        return part_fail (error, "a page that is not in the part");
      g_string_append_c (pl->kids, ' ');
      bb_numfmt_append_uint (pl->kids, pt->map[num]);
      g_string_append (pl->kids, " 0 R");
      pl->count++;
      m->pages++;
      p = r;
    }
  if (sroot)
    {
      b = object_body (pt, sroot, &e);
      kv = b ? dict_get (b, e, "/K", &ke) : NULL;
      if (kv)
        {
          kv = skip_space (kv, ke);
          if (*kv == '[')
            kv++, ke--; /* the array's items */
          g_string_append_c (pl->struct_kids, ' ');
          rewrite (pt, kv, ke, pl->struct_kids);
        }
      m->tagged = TRUE;
      guint max = 0;
      if (parents && !merge_nums (pt, parents, m->parents, pt->parent_base, &max, NULL))
        return part_fail (error, "a structure parent tree that is not a flat /Nums array");
      pt->parent_max = MAX (pt->parent_max, max);
    }
  /* Cairo leaves out the labels of pages numbered 1, 2, 3… from its
   * first page: in the middle of the book they must be said */
  GString *lab = g_string_new (NULL);
  gboolean zero = FALSE;
  if (labels && !merge_nums (pt, labels, lab, pt->page_base, NULL, &zero))
    {
      g_string_free (lab, TRUE);
      return part_fail (error, "page labels that are not a flat /Nums array");
    }
  if (!zero)
    g_string_append_printf (pl->labels, "   %u << /S /D >>\n", pt->page_base);
  g_string_append_len (pl->labels, lab->str, lab->len);
  g_string_free (lab, TRUE);
  if (dests)
    {
      b = object_body (pt, dests, &e);
      kv = b ? dict_get (b, e, "/Names", &ke) : NULL;
      if (!kv || !each_pair (pt, kv, ke, dest_pair, m))
        return part_fail (error, "destinations that are not a flat /Names array");
    }
  if (outlines)
    m->outlines = pt->map[outlines];
  /* the document information of the part that opens the book: another
   * part may be one kept from an earlier edition (pdf.c), whose own says
   * that edition */
  if (first_page == 0 && info)
    m->info = pt->map[info];

  /* the header, once; then every object kept, in order */
  if (m->parts == 0)
    out (m, pt->d, pt->off[pt->order[0]]);
  GString *o = g_string_sized_new (4096);
  for (guint k = 0; k < pt->norder; k++)
    {
      guint i = pt->order[k];
      if (!pt->map[i] || pt->map[i] < N_FIRST_FREE)
        continue;
      b = object_body (pt, i, &e);
      if (!b)
        {
          g_string_free (o, TRUE);
          return part_fail (error, "an object without its number");
        }
      g_string_truncate (o, 0);
      const char *rest = rewrite (pt, b, e, o);
      begin_object (m, pt->map[i]);
      out_str (m, o);
      out (m, rest, (gsize) (e - rest));
    }
  g_string_free (o, TRUE);
  if (pt->bad_ref)
    return part_fail (error, "a reference to an object that is not kept");
  m->next_parent = pt->parent_base + pt->parent_max;
  m->parts++;
  return TRUE;
}

gboolean
bb_pdf_merge_add (BbPdfMerge *m, const guint8 *pdf, gsize len, guint first_page, GError **error)
{
  Part pt = { 0 };
  gboolean ok = part_read (&pt, pdf, len, error) && merge_part (m, &pt, first_page, error);
  part_clear (&pt);
  if (ok && m->write_failed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the PDF could not be written");
      return FALSE;
    }
  return ok;
}

static void
out_cstr (BbPdfMerge *m, const char *text)
{
  out (m, text, strlen (text));
}

static void
write_object (BbPdfMerge *m, guint num, const char *text)
{
  begin_object (m, num);
  out_cstr (m, text);
  out (m, "\nendobj\n", 8);
}

/* An object made of head, the bytes of body and tail, written as they are
 * rather than joined first: the big ones (the parent tree, the names) run
 * to megabytes in a long book, and were the peak of its memory. */
static void
write_object_around (BbPdfMerge *m, guint num, const char *head, const GString *body, const char *tail)
{
  begin_object (m, num);
  out_cstr (m, head);
  out_str (m, body);
  out_cstr (m, tail);
  out (m, "\nendobj\n", 8);
}

gboolean
bb_pdf_merge_finish (BbPdfMerge *m, GError **error)
{
  if (m->parts == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no pages to write");
      return FALSE;
    }
  /* the trees that follow the pages take the parts in their pages' order,
   * which must be every page once */
  g_ptr_array_sort (m->placed, placed_cmp);
  GString *kids = g_string_new (NULL), *struct_kids = g_string_new (NULL), *labels = g_string_new (NULL);
  guint expect = 0;
  for (guint i = 0; i < m->placed->len; i++)
    {
      const Placed *pl = m->placed->pdata[i];
      if (pl->first != expect)
        break;
      expect += pl->count;
      g_string_append_len (kids, pl->kids->str, pl->kids->len);
      g_string_append_len (struct_kids, pl->struct_kids->str, pl->struct_kids->len);
      g_string_append_len (labels, pl->labels->str, pl->labels->len);
    }
  g_ptr_array_set_size (m->placed, 0);
  if (expect != m->pages)
    {
      g_string_free (kids, TRUE);
      g_string_free (struct_kids, TRUE);
      g_string_free (labels, TRUE);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the parts do not hold every page once");
      return FALSE;
    }
  GString *s = g_string_new (NULL);
  g_string_printf (s, " ]\n   /Count %u\n>>", m->pages);
  write_object_around (m, N_PAGES, "<< /Type /Pages\n   /Kids [", kids, s->str);
  g_string_free (kids, TRUE);
  if (m->tagged)
    {
      g_string_printf (s, "<< /Type /StructTreeRoot\n   /ParentTree %u 0 R\n   /K [", N_PARENTS);
      write_object_around (m, N_STRUCT, s->str, struct_kids, " ]\n>>");
      write_object_around (m, N_PARENTS, "<< /Nums [\n", m->parents, "]\n>>");
    }
  g_string_free (struct_kids, TRUE);
  /* the destinations, each let go once written */
  g_ptr_array_sort (m->dests, dest_cmp);
  begin_object (m, N_DESTS);
  out_cstr (m, "<< /Names [\n");
  for (guint i = 0; i < m->dests->len; i++)
    {
      Dest *d = m->dests->pdata[i];
      /* a name is defined once: the first part's */
      if (i == 0 || dest_cmp (&m->dests->pdata[i - 1], &m->dests->pdata[i]) != 0)
        {
          out (m, "   ", 3);
          out_cstr (m, d->entry);
          out (m, "\n", 1);
        }
      if (i > 0)
        g_clear_pointer (&m->dests->pdata[i - 1], dest_free);
    }
  g_ptr_array_set_size (m->dests, 0);
  out_cstr (m, "]\n>>\nendobj\n");
  g_string_printf (s, "<< /Dests %u 0 R >>", N_DESTS);
  write_object (m, N_NAMES, s->str);
  write_object_around (m, N_LABELS, "<< /Nums [\n", labels, "]\n>>");
  g_string_free (labels, TRUE);
  g_string_printf (s, "<< /Type /Catalog\n   /Pages %u 0 R\n", N_PAGES);
  if (m->tagged)
    g_string_append_printf (s, "   /StructTreeRoot %u 0 R\n", N_STRUCT);
  if (m->outlines)
    g_string_append_printf (s, "   /Outlines %u 0 R\n", m->outlines);
  g_string_append_printf (s, "   /PageLabels %u 0 R\n   /Names %u 0 R\n>>", N_LABELS, N_NAMES);
  write_object (m, N_CATALOG, s->str);

  guint64 xref = m->pos;
  guint n = m->offsets->len;
  g_string_printf (s, "xref\n0 %u\n0000000000 65535 f \n", n);
  for (guint i = 1; i < n; i++)
    {
      guint64 off = g_array_index (m->offsets, guint64, i);
      if (off && off < G_GUINT64_CONSTANT (10000000000))
        {
          /* "%010" G_GUINT64_FORMAT " 00000 n \n", for each of some
           * 480,000 objects, without printf */
          char line[21] = "0000000000 00000 n \n";
          for (int d = 9; d >= 0 && off; d--, off /= 10)
            line[d] = (char) ('0' + off % 10);
          g_string_append_len (s, line, 20);
        }
      else if (off)
        g_string_append_printf (s, "%010" G_GUINT64_FORMAT " 00000 n \n", off);
      else
        g_string_append (s, "0000000000 65535 f \n");
      if (s->len >= 1 << 16)
        {
          out_str (m, s);
          g_string_truncate (s, 0);
        }
    }
  g_string_append_printf (s, "trailer\n<< /Size %u\n   /Root %u 0 R\n", n, N_CATALOG);
  if (m->info)
    g_string_append_printf (s, "   /Info %u 0 R\n", m->info);
  g_string_append_printf (s, ">>\nstartxref\n%" G_GUINT64_FORMAT "\n%%%%EOF\n", xref);
  out_str (m, s);
  g_string_free (s, TRUE);
  if (m->write_failed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the PDF could not be written");
      return FALSE;
    }
  return TRUE;
}
