/* CPython glue: the only file that includes Python.h. It wraps the pure C
 * push parser as pybudget._core.Parser and turns its record table into typed
 * record objects (struct sequences). The GIL is released around pb_feed and
 * pb_finish only; Python objects are built afterwards, with the GIL. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include "pb.h"
#include "pb_audit.h"
#include "pb_cross.h"
#include "pb_targets.h"
#include "pb_toc.h"
#include "pb_fact_checks.h"
#include "pb_facts.h"
#include "pb_figure.h"
#include "pb_match.h"
#include "pb_names.h"
#include "pb_restate.h"
#include "pb_unicode.h"

#include <string.h>

static struct PyModuleDef core_module;

typedef struct {
    PyObject *error;                   /* pybudget._core.Error */
    PyTypeObject *parser_type;
    PyTypeObject *fact_rows_type;
    PyObject *fact_keys;               /* Fact's field names, interned: a tuple */
    PyObject *fact_blank;              /* every field name with None: each fact's dict starts as its copy */
    PyObject *line_names[2];           /* "line" and "text", interned: what a prose line is read by */
    PyTypeObject *record_types[PB_R__COUNT];
} core_state;

static core_state *get_state(PyObject *module) { return (core_state *)PyModule_GetState(module); }

/* ---- record types ---------------------------------------------------------- */

#define F(name, doc) {name, doc}
static PyStructSequence_Field meta_fields[] = {F("kind", "'meta'"), F("line", "source line"), F("key", "title|department|year|kind"), F("value", "text"), {NULL, NULL}};
static PyStructSequence_Field part_fields[] = {F("kind", "'part'"), F("line", "source line"), F("text", "heading"), {NULL, NULL}};
static PyStructSequence_Field toc_fields[] = {F("kind", "'toc'"), F("line", "source line"), F("text", "entry"), F("page", "page text"), {NULL, NULL}};
static PyStructSequence_Field table_fields[] = {
    F("kind", "'table'"), F("line", "line of the title"), F("table", "table id"),
    F("table_kind", "canonical kind"), F("title", "printed title"), F("unit", "万元|元|亿元"),
    F("department", "部门名称 of the table"), F("unit_assumed", "no unit printed"),
    F("columns", "tuple of (measure, header, side)"), {NULL, NULL}};
static PyStructSequence_Field row_fields[] = {
    F("kind", "'row'"), F("line", "source line"), F("table", "table id"), F("code", "classification code or None"),
    F("level", "类|款|项 or None"), F("parent", "parent code or None"), F("name", "row name"),
    F("side", "income|expenditure or None"), F("role", "'total' or None"),
    F("values", "measure -> amount in fen (int), None for a printed dash"),
    F("texts", "extra text cells: measure -> text"), {NULL, NULL}};
static PyStructSequence_Field table_end_fields[] = {
    F("kind", "'table_end'"), F("line", "line of the title"), F("table", "table id"), F("empty", "本表无数据"),
    F("note", "notes under the table"), F("decimals", "most decimals printed"), {NULL, NULL}};
static PyStructSequence_Field project_fields[] = {
    F("kind", "'project'"), F("line", "first line"), F("table", "table id"), F("project", "project number"),
    F("name", "项目名称"), F("overall", "部门整体 target"), F("fields", "label -> text"),
    F("funds", "fund -> amount in fen"), F("fund_lines", "fund -> source line of its figure"), {NULL, NULL}};
static PyStructSequence_Field indicator_fields[] = {
    F("kind", "'indicator'"), F("line", "source line"), F("table", "table id"), F("project", "project number"),
    F("side", "period|annual|None"), F("level1", "一级指标"), F("level2", "二级指标"), F("name", "三级指标"),
    F("value", "指标值 as printed"), F("comparator", ">=, <=, >, <, = or None"),
    F("number", "number as decimal text or None"), F("unit", "unit text or None"), F("note", "指标值说明 or None"),
    {NULL, NULL}};
static PyStructSequence_Field text_fields[] = {F("kind", "'text'"), F("line", "source line"), F("text", "prose line"), {NULL, NULL}};
static PyStructSequence_Field warning_fields[] = {
    F("kind", "'warning'"), F("line", "source line"), F("table", "table id or -1"), F("code", "warning name"),
    F("message", "what was wrong"), {NULL, NULL}};
#undef F

static PyStructSequence_Desc record_descs[PB_R__COUNT] = {
    {"pybudget.MetaRecord", "Document metadata.", meta_fields, 4},
    {"pybudget.PartRecord", "A part heading (第一部分 …).", part_fields, 3},
    {"pybudget.TocRecord", "A table-of-contents entry.", toc_fields, 4},
    {"pybudget.TableRecord", "A table with its canonical columns.", table_fields, 9},
    {"pybudget.RowRecord", "One row of a table, amounts in fen.", row_fields, 11},
    {"pybudget.TableEndRecord", "The end of a table.", table_end_fields, 6},
    {"pybudget.ProjectRecord", "A performance-target project.", project_fields, 9},
    {"pybudget.IndicatorRecord", "A performance indicator.", indicator_fields, 13},
    {"pybudget.TextRecord", "A line of prose.", text_fields, 3},
    {"pybudget.WarningRecord", "Something the parser could not place.", warning_fields, 5},
};

/* ---- parser object ------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    pb_parser *parser;
    PyObject *kind_names[PB_R__COUNT]; /* cached str objects */
    PyObject *strings;                 /* dict: cache of short repeated strings */
    int busy;                          /* refuses concurrent use from threads */
    PyObject *module;
} ParserObject;

static PyObject *str_of(ParserObject *self, const pb_records *r, pb_str s, int cache) {
    if (cache && s.len <= 48) {
        PyObject *key = PyBytes_FromStringAndSize(r->text + s.off, (Py_ssize_t)s.len);
        if (!key) return NULL;
        PyObject *hit = PyDict_GetItemWithError(self->strings, key);
        if (hit) {
            Py_DECREF(key);
            return Py_NewRef(hit);
        }
        if (PyErr_Occurred()) {
            Py_DECREF(key);
            return NULL;
        }
        PyObject *v = PyUnicode_DecodeUTF8(r->text + s.off, (Py_ssize_t)s.len, "replace");
        if (v && PyDict_Size(self->strings) < 4096 && PyDict_SetItem(self->strings, key, v) < 0) Py_CLEAR(v);
        Py_DECREF(key);
        return v;
    }
    return PyUnicode_DecodeUTF8(r->text + s.off, (Py_ssize_t)s.len, "replace");
}

static PyObject *opt_str(ParserObject *self, const pb_records *r, pb_str s, int cache) {
    if (!s.len) Py_RETURN_NONE;
    return str_of(self, r, s, cache);
}

/* Sets item i of a struct sequence, stealing v; returns -1 if v is NULL. */
static int put(PyObject *seq, Py_ssize_t i, PyObject *v) {
    if (!v) return -1;
    PyStructSequence_SetItem(seq, i, v);
    return 0;
}

static PyObject *values_dict(ParserObject *self, const pb_records *r, const pb_record *rec, int want) {
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    for (uint32_t i = 0; i < rec->value_count; i++) {
        const pb_value *v = &r->values[rec->value_begin + i];
        int is_text = v->state == PB_V_TEXT;
        if ((want == PB_V_TEXT) != is_text) continue;
        PyObject *k = str_of(self, r, v->measure, 1);
        if (!k) goto fail;
        PyObject *val;
        if (v->state == PB_V_NUMBER) val = PyLong_FromLongLong(v->fen);
        else if (v->state == PB_V_DASH) val = Py_NewRef(Py_None);
        else val = str_of(self, r, v->text, 0);
        if (!val || PyDict_SetItem(d, k, val) < 0) {
            Py_DECREF(k);
            Py_XDECREF(val);
            goto fail;
        }
        Py_DECREF(k);
        Py_DECREF(val);
    }
    return d;
fail:
    Py_DECREF(d);
    return NULL;
}

/* measure -> source line of the record's amounts that carry a line of their own. */
static PyObject *value_lines_dict(ParserObject *self, const pb_records *r, const pb_record *rec) {
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    for (uint32_t i = 0; i < rec->value_count; i++) {
        const pb_value *v = &r->values[rec->value_begin + i];
        if (v->state == PB_V_TEXT || !v->line) continue;
        PyObject *k = str_of(self, r, v->measure, 1);
        PyObject *line = k ? PyLong_FromUnsignedLong(v->line) : NULL;
        int bad = !line || PyDict_SetItem(d, k, line) < 0;
        Py_XDECREF(k);
        Py_XDECREF(line);
        if (bad) {
            Py_DECREF(d);
            return NULL;
        }
    }
    return d;
}

static PyObject *columns_tuple(ParserObject *self, const pb_records *r, const pb_record *rec) {
    PyObject *t = PyTuple_New(rec->value_count);
    if (!t) return NULL;
    for (uint32_t i = 0; i < rec->value_count; i++) {
        const pb_value *v = &r->values[rec->value_begin + i];
        const char *side = v->decimals == 1 ? "income" : v->decimals == 2 ? "expenditure" : NULL;
        PyObject *item = Py_BuildValue("(NNs)", str_of(self, r, v->measure, 1), str_of(self, r, v->text, 1), side);
        if (!item) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, item);
    }
    return t;
}

static PyObject *make_record(ParserObject *self, core_state *st, const pb_records *r, const pb_record *rec) {
    PyObject *o = PyStructSequence_New(st->record_types[rec->kind]);
    if (!o) return NULL;
    if (put(o, 0, Py_NewRef(self->kind_names[rec->kind])) < 0 || put(o, 1, PyLong_FromUnsignedLong(rec->line)) < 0)
        goto fail;
    const pb_str *f = rec->f;
    switch ((pb_record_kind)rec->kind) {
    case PB_R_META:
        if (put(o, 2, str_of(self, r, f[0], 1)) < 0 || put(o, 3, str_of(self, r, f[1], 0)) < 0) goto fail;
        break;
    case PB_R_PART:
    case PB_R_TEXT:
        if (put(o, 2, str_of(self, r, f[0], 0)) < 0) goto fail;
        break;
    case PB_R_TOC:
        if (put(o, 2, str_of(self, r, f[0], 0)) < 0 || put(o, 3, opt_str(self, r, f[1], 0)) < 0) goto fail;
        break;
    case PB_R_TABLE:
        if (put(o, 2, PyLong_FromLong(rec->table)) < 0 || put(o, 3, str_of(self, r, f[0], 1)) < 0 ||
            put(o, 4, str_of(self, r, f[1], 0)) < 0 || put(o, 5, str_of(self, r, f[2], 1)) < 0 ||
            put(o, 6, opt_str(self, r, f[3], 1)) < 0 || put(o, 7, PyBool_FromLong(f[4].len > 0)) < 0 ||
            put(o, 8, columns_tuple(self, r, rec)) < 0)
            goto fail;
        break;
    case PB_R_ROW:
        if (put(o, 2, PyLong_FromLong(rec->table)) < 0 || put(o, 3, opt_str(self, r, f[0], 0)) < 0 ||
            put(o, 4, opt_str(self, r, f[1], 1)) < 0 || put(o, 5, opt_str(self, r, f[2], 0)) < 0 ||
            put(o, 6, str_of(self, r, f[3], 0)) < 0 || put(o, 7, opt_str(self, r, f[4], 1)) < 0 ||
            put(o, 8, opt_str(self, r, f[5], 1)) < 0 || put(o, 9, values_dict(self, r, rec, PB_V_NUMBER)) < 0 ||
            put(o, 10, values_dict(self, r, rec, PB_V_TEXT)) < 0)
            goto fail;
        break;
    case PB_R_TABLE_END:
        if (put(o, 2, PyLong_FromLong(rec->table)) < 0 || put(o, 3, PyBool_FromLong(rec->flags & 1)) < 0 ||
            put(o, 4, str_of(self, r, f[0], 0)) < 0 || put(o, 5, PyLong_FromLong(rec->index)) < 0)
            goto fail;
        break;
    case PB_R_PROJECT:
        if (put(o, 2, PyLong_FromLong(rec->table)) < 0 || put(o, 3, PyLong_FromLong(rec->index)) < 0 ||
            put(o, 4, str_of(self, r, f[0], 0)) < 0 || put(o, 5, PyBool_FromLong(rec->flags & 1)) < 0 ||
            put(o, 6, values_dict(self, r, rec, PB_V_TEXT)) < 0 ||
            put(o, 7, values_dict(self, r, rec, PB_V_NUMBER)) < 0 ||
            put(o, 8, value_lines_dict(self, r, rec)) < 0)
            goto fail;
        break;
    case PB_R_INDICATOR: {
        PyObject *note = Py_NewRef(Py_None);
        for (uint32_t i = 0; i < rec->value_count; i++) {
            const pb_value *v = &r->values[rec->value_begin + i];
            if (v->state == PB_V_TEXT) {
                Py_DECREF(note);
                note = str_of(self, r, v->text, 0);
                break;
            }
        }
        if (put(o, 2, PyLong_FromLong(rec->table)) < 0 || put(o, 3, PyLong_FromLong(rec->index)) < 0 ||
            put(o, 4, opt_str(self, r, f[0], 1)) < 0 || put(o, 5, str_of(self, r, f[1], 1)) < 0 ||
            put(o, 6, str_of(self, r, f[2], 1)) < 0 || put(o, 7, str_of(self, r, f[3], 0)) < 0 ||
            put(o, 8, str_of(self, r, f[4], 0)) < 0 || put(o, 9, opt_str(self, r, f[5], 1)) < 0 ||
            put(o, 10, opt_str(self, r, f[6], 0)) < 0 || put(o, 11, opt_str(self, r, f[7], 1)) < 0 ||
            put(o, 12, note) < 0)
            goto fail;
        break;
    }
    case PB_R_WARNING:
        if (put(o, 2, PyLong_FromLong(rec->table)) < 0 || put(o, 3, str_of(self, r, f[0], 1)) < 0 ||
            put(o, 4, str_of(self, r, f[1], 0)) < 0)
            goto fail;
        break;
    default:
        break;
    }
    return o;
fail:
    Py_DECREF(o);
    return NULL;
}

/* Drains the parser's record table into a new list. */
static PyObject *drain(ParserObject *self) {
    core_state *st = get_state(self->module);
    pb_records r = pb_get_records(self->parser);
    PyObject *list = PyList_New((Py_ssize_t)r.count);
    if (!list) return NULL;
    for (size_t i = 0; i < r.count; i++) {
        PyObject *o = make_record(self, st, &r, &r.records[i]);
        if (!o) {
            Py_DECREF(list);
            pb_records_clear(self->parser);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, o);
    }
    pb_records_clear(self->parser);
    return list;
}

/* Raises pybudget._core.Error with the position of the error and the records
 * parsed before it (nothing parseable is lost). Always returns NULL. */
static PyObject *raise_core_error(ParserObject *self, PyObject *records) {
    core_state *st = get_state(self->module);
    pb_parser *p = self->parser;
    PyObject *exc = PyObject_CallFunction(st->error, "s", pb_error_message(p));
    if (!exc) return NULL;
    PyObject *code = PyUnicode_FromString(pb_error_name(pb_error(p)));
    PyObject *line = PyLong_FromUnsignedLongLong(pb_error_line(p));
    PyObject *offset = PyLong_FromUnsignedLongLong(pb_error_offset(p));
    PyObject *reason = PyUnicode_FromString(pb_error_text(pb_error(p)));
    int ok = code && line && offset && reason && PyObject_SetAttrString(exc, "code", code) == 0 &&
             PyObject_SetAttrString(exc, "lineno", line) == 0 && PyObject_SetAttrString(exc, "offset", offset) == 0 &&
             PyObject_SetAttrString(exc, "reason", reason) == 0 &&
             PyObject_SetAttrString(exc, "records", records ? records : Py_None) == 0;
    if (ok) PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_XDECREF(code);
    Py_XDECREF(line);
    Py_XDECREF(offset);
    Py_XDECREF(reason);
    Py_DECREF(exc);
    return NULL;
}

/* The records of a feed/finish call, or the error with those records attached. */
static PyObject *records_or_error(ParserObject *self, PyObject *out, pb_status status) {
    if (!out || status == PB_OK) return out;
    raise_core_error(self, out);
    Py_DECREF(out);
    return NULL;
}

static int acquire(ParserObject *self) {
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError, "this Parser is already in use by another thread; "
                                            "create one Parser per thread");
        return -1;
    }
    if (!self->parser) {
        PyErr_SetString(PyExc_ValueError, "the Parser is closed");
        return -1;
    }
    self->busy = 1;
    return 0;
}

static PyObject *Parser_feed(ParserObject *self, PyObject *arg) {
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) return NULL;
    if (acquire(self) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    /* Records pile up per call; feed in slices so memory stays bounded. */
    const char *data = view.buf;
    Py_ssize_t left = view.len;
    PyObject *out = PyList_New(0);
    pb_status status = PB_OK;
    while (out && left > 0) {
        Py_ssize_t take = left > (1 << 20) ? (1 << 20) : left;
        Py_BEGIN_ALLOW_THREADS
        status = pb_feed(self->parser, data, (size_t)take);
        Py_END_ALLOW_THREADS
        data += take;
        left -= take;
        PyObject *more = drain(self);
        if (!more) Py_CLEAR(out);
        else {
            if (PyList_SetSlice(out, PyList_GET_SIZE(out), PyList_GET_SIZE(out), more) < 0) Py_CLEAR(out);
            Py_DECREF(more);
        }
        if (status != PB_OK) break;
    }
    self->busy = 0;
    PyBuffer_Release(&view);
    return records_or_error(self, out, status);
}

static PyObject *Parser_finish(ParserObject *self, PyObject *Py_UNUSED(ignored)) {
    if (acquire(self) < 0) return NULL;
    pb_status status;
    Py_BEGIN_ALLOW_THREADS
    status = pb_finish(self->parser);
    Py_END_ALLOW_THREADS
    PyObject *out = drain(self);
    self->busy = 0;
    return records_or_error(self, out, status);
}

static PyObject *Parser_reset(ParserObject *self, PyObject *Py_UNUSED(ignored)) {
    if (acquire(self) < 0) return NULL;
    pb_parser_reset(self->parser);
    self->busy = 0;
    Py_RETURN_NONE;
}

static PyObject *Parser_get_encoding(ParserObject *self, void *c) {
    (void)c;
    return self->parser ? PyUnicode_FromString(pb_encoding(self->parser)) : Py_NewRef(Py_None);
}
static PyObject *Parser_get_gzip(ParserObject *self, void *c) {
    (void)c;
    return PyBool_FromLong(self->parser && pb_is_gzip(self->parser));
}
static PyObject *Parser_get_lines(ParserObject *self, void *c) {
    (void)c;
    return PyLong_FromUnsignedLongLong(self->parser ? pb_lines(self->parser) : 0);
}
static PyObject *Parser_get_bytes(ParserObject *self, void *c) {
    (void)c;
    return PyLong_FromUnsignedLongLong(self->parser ? pb_bytes_in(self->parser) : 0);
}

static int Parser_init(ParserObject *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"strict", "max_line", "max_cells", "max_table_rows", "max_inflate_ratio", NULL};
    int strict = 0;
    Py_ssize_t max_line = 0, max_cells = 0, max_rows = 0, max_ratio = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|$pnnnn:Parser", kwlist, &strict, &max_line, &max_cells,
                                     &max_rows, &max_ratio))
        return -1;
    if (max_line < 0 || max_cells < 0 || max_rows < 0 || max_ratio < 0) {
        PyErr_SetString(PyExc_ValueError, "limits must be positive (0 means the default)");
        return -1;
    }
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError, "Parser in use");
        return -1;
    }
    pb_options o;
    pb_options_default(&o);
    o.strict = strict;
    if (max_line) o.max_line = (size_t)max_line;
    if (max_cells) o.max_cells = (size_t)max_cells;
    if (max_rows) o.max_table_rows = (size_t)max_rows;
    if (max_ratio) o.max_inflate_ratio = (size_t)max_ratio;
    pb_parser *p = pb_parser_new(&o, NULL);
    if (!p) {
        PyErr_NoMemory();
        return -1;
    }
    if (self->parser) pb_parser_free(self->parser);
    self->parser = p;
    return 0;
}

static PyObject *Parser_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    (void)args;
    (void)kwds;
    ParserObject *self = (ParserObject *)type->tp_alloc(type, 0);
    if (!self) return NULL;
    /* Everything set before anything can fail, so dealloc is always safe. */
    self->parser = NULL;
    self->busy = 0;
    for (int i = 0; i < PB_R__COUNT; i++) self->kind_names[i] = NULL;
    self->strings = NULL;
    self->module = NULL;
    /* ByDef walks the MRO, so Python subclasses of Parser work too. */
    self->module = Py_XNewRef(PyType_GetModuleByDef(type, &core_module));
    if (!self->module) goto fail;
    self->strings = PyDict_New();
    if (!self->strings) goto fail;
    for (int i = 0; i < PB_R__COUNT; i++) {
        self->kind_names[i] = PyUnicode_InternFromString(pb_record_kind_name((pb_record_kind)i));
        if (!self->kind_names[i]) goto fail;
    }
    return (PyObject *)self;
fail:
    Py_DECREF(self);
    return NULL;
}

static int Parser_traverse(ParserObject *self, visitproc visit, void *arg) {
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->strings);
    Py_VISIT(self->module);
    return 0;
}

static int Parser_clear(ParserObject *self) {
    Py_CLEAR(self->strings);
    Py_CLEAR(self->module);
    for (int i = 0; i < PB_R__COUNT; i++) Py_CLEAR(self->kind_names[i]);
    return 0;
}

static void Parser_dealloc(ParserObject *self) {
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Parser_clear(self);
    if (self->parser) pb_parser_free(self->parser);
    self->parser = NULL;
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

static PyMethodDef Parser_methods[] = {
    {"feed", (PyCFunction)Parser_feed, METH_O,
     "feed(data) -> list of records\n\nParse a chunk of bytes (any split is fine)."},
    {"finish", (PyCFunction)Parser_finish, METH_NOARGS,
     "finish() -> list of records\n\nEnd of input: close open tables and return the last records."},
    {"reset", (PyCFunction)Parser_reset, METH_NOARGS, "reset()\n\nForget everything; parse a new document."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef Parser_getset[] = {
    {"encoding", (getter)Parser_get_encoding, NULL, "detected text encoding", NULL},
    {"gzip", (getter)Parser_get_gzip, NULL, "input was gzip-compressed", NULL},
    {"lines", (getter)Parser_get_lines, NULL, "lines read so far", NULL},
    {"bytes_in", (getter)Parser_get_bytes, NULL, "bytes fed so far", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot Parser_slots[] = {
    {Py_tp_doc, "Parser(*, strict=False, max_line=0, max_cells=0, max_table_rows=0, max_inflate_ratio=0)\n\n"
                "Low-level push parser over bytes; 0 keeps a limit's default."},
    {Py_tp_new, Parser_new},
    {Py_tp_init, Parser_init},
    {Py_tp_dealloc, Parser_dealloc},
    {Py_tp_traverse, Parser_traverse},
    {Py_tp_clear, Parser_clear},
    {Py_tp_methods, Parser_methods},
    {Py_tp_getset, Parser_getset},
    {0, NULL},
};

static PyType_Spec Parser_spec = {
    "pybudget._core.Parser", sizeof(ParserObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE, Parser_slots,
};

/* ---- columnar items: parse_items -> ItemColumns (Arrow C stream) ------------ *
 * The C core fills column buffers (pb_columns.c) with the GIL released; the
 * result reaches pyarrow, pandas, polars or DuckDB through the Arrow PyCapsule
 * protocol (__arrow_c_stream__) without a Python object per row. */

#include "pb_columns.h"

typedef struct {
    PyObject_HEAD
    pb_batch *batch;
    PyObject *documents; /* list of dicts, one per input document */
} ItemColumnsObject;

static void stream_capsule_free(PyObject *capsule) {
    struct ArrowArrayStream *s = PyCapsule_GetPointer(capsule, "arrow_array_stream");
    if (!s) {
        PyErr_Clear();
        return;
    }
    if (s->release) s->release(s); /* not taken by a consumer */
    free(s);
}

static void schema_capsule_free(PyObject *capsule) {
    struct ArrowSchema *s = PyCapsule_GetPointer(capsule, "arrow_schema");
    if (!s) {
        PyErr_Clear();
        return;
    }
    if (s->release) s->release(s);
    free(s);
}

static PyObject *ItemColumns_arrow_c_stream(ItemColumnsObject *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"requested_schema", NULL};
    PyObject *requested = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:__arrow_c_stream__", kwlist, &requested)) return NULL;
    (void)requested; /* the columns have one schema; consumers cast if they want another */
    struct ArrowArrayStream *s = malloc(sizeof *s);
    if (!s) return PyErr_NoMemory();
    if (pb_batch_export_stream(self->batch, s)) {
        free(s);
        return PyErr_NoMemory();
    }
    PyObject *capsule = PyCapsule_New(s, "arrow_array_stream", stream_capsule_free);
    if (!capsule) {
        s->release(s);
        free(s);
    }
    return capsule;
}

static PyObject *ItemColumns_arrow_c_schema(ItemColumnsObject *self, PyObject *Py_UNUSED(ignored)) {
    struct ArrowSchema *s = malloc(sizeof *s);
    if (!s) return PyErr_NoMemory();
    if (pb_batch_export_schema(self->batch, s)) {
        free(s);
        return PyErr_NoMemory();
    }
    PyObject *capsule = PyCapsule_New(s, "arrow_schema", schema_capsule_free);
    if (!capsule) {
        s->release(s);
        free(s);
    }
    return capsule;
}

static Py_ssize_t ItemColumns_len(ItemColumnsObject *self) { return (Py_ssize_t)pb_batch_length(self->batch); }

static PyObject *ItemColumns_get_documents(ItemColumnsObject *self, void *c) {
    (void)c;
    return Py_NewRef(self->documents);
}

static PyObject *ItemColumns_get_num_rows(ItemColumnsObject *self, void *c) {
    (void)c;
    return PyLong_FromLongLong((long long)pb_batch_length(self->batch));
}

static int ItemColumns_traverse(ItemColumnsObject *self, visitproc visit, void *arg) {
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->documents);
    return 0;
}

static int ItemColumns_clear(ItemColumnsObject *self) {
    Py_CLEAR(self->documents);
    return 0;
}

static void ItemColumns_dealloc(ItemColumnsObject *self) {
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    ItemColumns_clear(self);
    if (self->batch) pb_batch_unref(self->batch); /* exported arrays keep their own references */
    self->batch = NULL;
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

static PyMethodDef ItemColumns_methods[] = {
    {"__arrow_c_stream__", (PyCFunction)(void (*)(void))ItemColumns_arrow_c_stream, METH_VARARGS | METH_KEYWORDS,
     "__arrow_c_stream__(requested_schema=None) -> PyCapsule\n\n"
     "The items as an Arrow C stream of one record batch (Arrow PyCapsule protocol)."},
    {"__arrow_c_schema__", (PyCFunction)ItemColumns_arrow_c_schema, METH_NOARGS,
     "__arrow_c_schema__() -> PyCapsule\n\nThe Arrow schema of the items (a struct of the columns)."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef ItemColumns_getset[] = {
    {"documents", (getter)ItemColumns_get_documents, NULL, "one dict per input document, in input order", NULL},
    {"num_rows", (getter)ItemColumns_get_num_rows, NULL, "number of items", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot ItemColumns_slots[] = {
    {Py_tp_doc, "Items of many documents stored by column (from parse_items).\n\n"
                "pyarrow.table(obj), polars.from_arrow(obj) or duckdb read it through __arrow_c_stream__."},
    {Py_tp_dealloc, ItemColumns_dealloc},
    {Py_tp_traverse, ItemColumns_traverse},
    {Py_tp_clear, ItemColumns_clear},
    {Py_tp_methods, ItemColumns_methods},
    {Py_tp_getset, ItemColumns_getset},
    {Py_sq_length, ItemColumns_len},
    {0, NULL},
};

static PyType_Spec ItemColumns_spec = {
    "pybudget._core.ItemColumns", sizeof(ItemColumnsObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_DISALLOW_INSTANTIATION, ItemColumns_slots,
};

static PyObject *span_str(pb_span s) {
    if (!s.present) Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s.s, (Py_ssize_t)s.n, "replace");
}

/* Sets d[key] = v, stealing v; -1 on failure. */
static int dict_put(PyObject *d, const char *key, PyObject *v) {
    if (!v) return -1;
    int r = PyDict_SetItemString(d, key, v);
    Py_DECREF(v);
    return r;
}

static PyObject *doc_summary_dict(const pb_doc_summary *s) {
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    PyObject *kinds = NULL;
    if (s->table_kinds.n) {
        PyObject *joined = PyUnicode_DecodeUTF8(s->table_kinds.s, (Py_ssize_t)s->table_kinds.n, "replace");
        PyObject *sep = joined ? PyUnicode_FromString("\n") : NULL;
        PyObject *list = sep ? PyUnicode_Split(joined, sep, -1) : NULL;
        kinds = list ? PyList_AsTuple(list) : NULL;
        Py_XDECREF(joined);
        Py_XDECREF(sep);
        Py_XDECREF(list);
    } else {
        kinds = PyTuple_New(0);
    }
    int failed = dict_put(d, "doc_id", PyLong_FromLongLong((long long)s->doc_id)) < 0 ||
                 dict_put(d, "ok", PyBool_FromLong(s->ok)) < 0 || dict_put(d, "title", span_str(s->title)) < 0 ||
                 dict_put(d, "department", span_str(s->department)) < 0 ||
                 dict_put(d, "kind", span_str(s->kind)) < 0 ||
                 dict_put(d, "year", s->has_year ? PyLong_FromLong(s->year) : Py_NewRef(Py_None)) < 0 ||
                 dict_put(d, "encoding", PyUnicode_FromString(s->encoding ? s->encoding : "")) < 0 ||
                 dict_put(d, "gzip", PyBool_FromLong(s->gzip)) < 0 ||
                 dict_put(d, "bytes", PyLong_FromUnsignedLongLong(s->bytes)) < 0 ||
                 dict_put(d, "tables", PyLong_FromUnsignedLong(s->tables)) < 0 ||
                 dict_put(d, "items", PyLong_FromUnsignedLongLong(s->items)) < 0 ||
                 dict_put(d, "projects", PyLong_FromUnsignedLong(s->projects)) < 0 ||
                 dict_put(d, "indicators", PyLong_FromUnsignedLong(s->indicators)) < 0 ||
                 dict_put(d, "warnings", PyLong_FromUnsignedLong(s->warnings)) < 0 ||
                 dict_put(d, "table_kinds", kinds) < 0 ||
                 dict_put(d, "error", s->ok ? Py_NewRef(Py_None) : PyUnicode_FromString(pb_error_name(s->error))) < 0 ||
                 dict_put(d, "message", s->ok ? Py_NewRef(Py_None) : span_str(s->error_message)) < 0 ||
                 dict_put(d, "line", PyLong_FromUnsignedLongLong(s->error_line)) < 0 ||
                 dict_put(d, "offset", PyLong_FromUnsignedLongLong(s->error_offset)) < 0;
    if (failed) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *core_parse_items(PyObject *module, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"data", "doc_ids", "sources", "strict", "max_line", "max_cells", "max_table_rows",
                             "max_inflate_ratio", NULL};
    PyObject *data = NULL, *ids_arg = Py_None, *sources_arg = Py_None;
    int strict = 0;
    Py_ssize_t max_line = 0, max_cells = 0, max_rows = 0, max_ratio = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|OO$pnnnn:parse_items", kwlist, &data, &ids_arg, &sources_arg,
                                     &strict, &max_line, &max_cells, &max_rows, &max_ratio))
        return NULL;
    if (max_line < 0 || max_cells < 0 || max_rows < 0 || max_ratio < 0) {
        PyErr_SetString(PyExc_ValueError, "limits must be positive (0 means the default)");
        return NULL;
    }
    /* Everything NULL first: one cleanup path. */
    PyObject *seq = NULL, *ids_seq = NULL, *src_seq = NULL, *docs = NULL, *result = NULL, *type = NULL;
    Py_buffer *views = NULL;
    int64_t *ids = NULL;
    const char **src = NULL;
    Py_ssize_t *src_len = NULL, nviews = 0, n = 0;
    pb_parser *p = NULL;
    pb_columns *c = NULL;
    pb_batch *batch = NULL;

    seq = PySequence_Fast(data, "parse_items: data must be a sequence of bytes-like objects");
    if (!seq) goto done;
    n = PySequence_Fast_GET_SIZE(seq);
    views = PyMem_Calloc((size_t)(n ? n : 1), sizeof *views);
    ids = PyMem_Calloc((size_t)(n ? n : 1), sizeof *ids);
    src = PyMem_Calloc((size_t)(n ? n : 1), sizeof *src);
    src_len = PyMem_Calloc((size_t)(n ? n : 1), sizeof *src_len);
    if (!views || !ids || !src || !src_len) {
        PyErr_NoMemory();
        goto done;
    }
    if (ids_arg != Py_None) {
        ids_seq = PySequence_Fast(ids_arg, "parse_items: doc_ids must be a sequence of int");
        if (!ids_seq) goto done;
        if (PySequence_Fast_GET_SIZE(ids_seq) != n) {
            PyErr_Format(PyExc_ValueError, "parse_items: %zd doc_ids for %zd documents",
                         PySequence_Fast_GET_SIZE(ids_seq), n);
            goto done;
        }
    }
    if (sources_arg != Py_None) {
        src_seq = PySequence_Fast(sources_arg, "parse_items: sources must be a sequence of str");
        if (!src_seq) goto done;
        if (PySequence_Fast_GET_SIZE(src_seq) != n) {
            PyErr_Format(PyExc_ValueError, "parse_items: %zd sources for %zd documents",
                         PySequence_Fast_GET_SIZE(src_seq), n);
            goto done;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (ids_seq) {
            long long v = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(ids_seq, i));
            if (v == -1 && PyErr_Occurred()) goto done;
            ids[i] = (int64_t)v;
        } else {
            ids[i] = (int64_t)i;
        }
        if (src_seq) {
            src[i] = PyUnicode_AsUTF8AndSize(PySequence_Fast_GET_ITEM(src_seq, i), &src_len[i]);
            if (!src[i]) goto done;
        } else {
            src[i] = "<bytes>";
            src_len[i] = 7;
        }
        if (PyObject_GetBuffer(PySequence_Fast_GET_ITEM(seq, i), &views[i], PyBUF_SIMPLE) < 0) goto done;
        nviews = i + 1;
    }
    pb_options o;
    pb_options_default(&o);
    o.strict = strict;
    if (max_line) o.max_line = (size_t)max_line;
    if (max_cells) o.max_cells = (size_t)max_cells;
    if (max_rows) o.max_table_rows = (size_t)max_rows;
    if (max_ratio) o.max_inflate_ratio = (size_t)max_ratio;
    p = pb_parser_new(&o, NULL);
    c = pb_columns_new(NULL);
    if (!p || !c) {
        PyErr_NoMemory();
        goto done;
    }
    pb_status st = PB_OK;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n && st == PB_OK; i++)
        st = pb_columns_parse(c, p, ids[i], src[i], (size_t)src_len[i], views[i].buf, (size_t)views[i].len);
    Py_END_ALLOW_THREADS
    if (st != PB_OK) {
        PyErr_Format(PyExc_MemoryError, "parse_items: %s", pb_columns_error(c));
        goto done;
    }
    docs = PyList_New(0);
    if (!docs) goto done;
    for (size_t i = 0; i < pb_columns_doc_count(c); i++) {
        pb_doc_summary s;
        pb_columns_doc(c, i, &s);
        PyObject *d = doc_summary_dict(&s);
        if (!d || PyList_Append(docs, d) < 0) {
            Py_XDECREF(d);
            goto done;
        }
        Py_DECREF(d);
    }
    batch = pb_columns_finish(c);
    if (!batch) {
        PyErr_Format(PyExc_MemoryError, "parse_items: %s", pb_columns_error(c));
        goto done;
    }
    type = PyObject_GetAttrString(module, "ItemColumns");
    if (!type) goto done;
    ItemColumnsObject *obj = PyObject_GC_New(ItemColumnsObject, (PyTypeObject *)type);
    if (!obj) goto done;
    obj->batch = batch;
    obj->documents = Py_NewRef(docs);
    batch = NULL;
    PyObject_GC_Track(obj);
    result = (PyObject *)obj;
done:
    for (Py_ssize_t i = 0; i < nviews; i++) PyBuffer_Release(&views[i]);
    PyMem_Free(views);
    PyMem_Free(ids);
    PyMem_Free(src);
    PyMem_Free(src_len);
    if (batch) pb_batch_unref(batch);
    if (c) pb_columns_free(c);
    if (p) pb_parser_free(p);
    Py_XDECREF(type);
    Py_XDECREF(docs);
    Py_XDECREF(src_seq);
    Py_XDECREF(ids_seq);
    Py_XDECREF(seq);
    return result;
}

/* ---- narrative facts ----------------------------------------------------- */

/* The prose lines of a sequence of (line, text) pairs or TextLine objects,
 * copied into one C buffer (the strings may go while the GIL is released). */
typedef struct fact_lines {
    pb_fact_line *lines;
    char *bytes;
    size_t n;
} fact_lines;

static void fact_lines_free(fact_lines *fl) {
    PyMem_RawFree(fl->lines);
    PyMem_RawFree(fl->bytes);
    fl->lines = NULL;
    fl->bytes = NULL;
}

/* The offset in its objects of a type's attribute `name` when reading the attribute is reading an
 * object slot (a member descriptor, on a type that looks its attributes up the generic way), else
 * -1: the rows and prose lines handed over are slotted dataclasses, read by offset rather than by
 * two lookups per object. An empty slot is left to PyObject_GetAttr, which raises or gives None. */
static Py_ssize_t object_slot_offset(PyTypeObject *type, PyObject *name) {
    if (type->tp_getattro != PyObject_GenericGetAttr) return -1;
    PyObject *descr = PyObject_GetAttr((PyObject *)type, name);
    if (!descr) {
        PyErr_Clear(); /* PyObject_GetAttr on the objects raises the error, if any */
        return -1;
    }
    Py_ssize_t offset = -1;
    if (Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
        if (member->type == T_OBJECT_EX || member->type == T_OBJECT) offset = member->offset;
    }
    Py_DECREF(descr);
    return offset;
}

/* Where the objects of one class (TextLine) keep "line" and "text" (object_slot_offset), worked
 * out at the first line of a call. */
typedef struct fact_line_slots {
    PyTypeObject *type; /* NULL: not worked out yet */
    Py_ssize_t offset[2]; /* -1: read by PyObject_GetAttr */
} fact_line_slots;

static void fact_line_slots_of(PyTypeObject *type, PyObject *const names[2], fact_line_slots *slots) {
    slots->type = type;
    slots->offset[0] = object_slot_offset(type, names[0]);
    slots->offset[1] = slots->offset[0] >= 0 ? object_slot_offset(type, names[1]) : -1;
    if (slots->offset[1] < 0) slots->offset[0] = -1; /* both by slot, or both by name */
}

/* names: the attribute names "line" and "text", made once per call. */
static int fact_line_parts(PyObject *item, PyObject *const names[2], fact_line_slots *slots, PyObject **line,
                           PyObject **text) {
    if (PyTuple_Check(item) && PyTuple_GET_SIZE(item) == 2) {
        *line = Py_NewRef(PyTuple_GET_ITEM(item, 0));
        *text = Py_NewRef(PyTuple_GET_ITEM(item, 1));
        return 0;
    }
    if (!slots->type) fact_line_slots_of(Py_TYPE(item), names, slots);
    if (Py_TYPE(item) == slots->type && slots->offset[0] >= 0) {
        PyObject *l = *(PyObject **)((char *)item + slots->offset[0]);
        PyObject *t = *(PyObject **)((char *)item + slots->offset[1]);
        if (l && t) { /* an empty slot: PyObject_GetAttr raises its AttributeError */
            *line = Py_NewRef(l);
            *text = Py_NewRef(t);
            return 0;
        }
    }
    *line = PyObject_GetAttr(item, names[0]);
    *text = *line ? PyObject_GetAttr(item, names[1]) : NULL;
    return *text ? 0 : -1;
}

/* Room for `more` bytes after the first `used` of *bytes (held: *cap). */
static int fact_bytes_reserve(fact_lines *fl, size_t *cap, size_t used, size_t more) {
    if (more > (size_t)PY_SSIZE_T_MAX - used - 1) {
        PyErr_NoMemory();
        return -1;
    }
    size_t need = used + more + 1; /* never empty: a line's text points into it */
    if (need <= *cap) return 0;
    size_t want = *cap ? *cap : 4096;
    while (want < need) want = want > (size_t)PY_SSIZE_T_MAX / 2 ? need : want * 2;
    char *p = PyMem_RawRealloc(fl->bytes, want);
    if (!p) {
        PyErr_NoMemory();
        return -1;
    }
    fl->bytes = p;
    *cap = want;
    return 0;
}

#if defined(__SSE2__) && defined(__x86_64__) /* _mm_cvtsi128_si64, and a little-endian machine */
#define PB_UCS2_BLOCKS 1
#include <emmintrin.h>
#endif

#if defined(PB_UCS2_BLOCKS)
/* The UTF-8 of eight UCS-2 characters v as if each took three bytes (24 bytes at o; the
 * stores reach o + 26). Each pair of characters is stored as eight bytes of which six are
 * theirs. */
static inline void ucs2_three_bytes8(__m128i v, unsigned char *o) {
    const __m128i six = _mm_set1_epi16(0x3F), cont = _mm_set1_epi16(0x80), lead = _mm_set1_epi16(0xE0);
    const __m128i low3 = _mm_set_epi32(0, 0xFFFFFF, 0, 0xFFFFFF), high3 = _mm_set_epi32(0xFFFF, (int)0xFF000000, 0xFFFF, (int)0xFF000000);
    __m128i b0 = _mm_or_si128(_mm_srli_epi16(v, 12), lead);
    __m128i b1 = _mm_or_si128(_mm_and_si128(_mm_srli_epi16(v, 6), six), cont);
    __m128i b2 = _mm_or_si128(_mm_and_si128(v, six), cont);
    __m128i b01 = _mm_or_si128(b0, _mm_slli_epi16(b1, 8));
    /* a character per 32 bits (its three bytes and a zero), then a pair per 64 bits with
     * the second's bytes moved down to follow the first's */
    __m128i w[2] = {_mm_unpacklo_epi16(b01, b2), _mm_unpackhi_epi16(b01, b2)};
    for (int h = 0; h < 2; h++) {
        __m128i pair = _mm_or_si128(_mm_and_si128(w[h], low3), _mm_and_si128(_mm_srli_epi64(w[h], 8), high3));
        long long q0 = _mm_cvtsi128_si64(pair), q1 = _mm_cvtsi128_si64(_mm_unpackhi_epi64(pair, pair));
        memcpy(o + 12 * h, &q0, 8);
        memcpy(o + 12 * h + 6, &q1, 8);
    }
}

/* Of eight UCS-2 characters v, bit 2k (and 2k + 1) set for each that takes other than three
 * bytes in UTF-8 (under U+0800, or a surrogate), and through *ascii those under U+0080. */
static inline unsigned ucs2_other_bits(__m128i v, unsigned *ascii) {
    const __m128i bias = _mm_set1_epi16((short)0x8000), below = _mm_set1_epi16((short)(0x0800 ^ 0x8000));
    const __m128i below_ascii = _mm_set1_epi16((short)(0x0080 ^ 0x8000));
    const __m128i top5 = _mm_set1_epi16((short)0xF800), surrogate = _mm_set1_epi16((short)0xD800);
    __m128i biased = _mm_xor_si128(v, bias);
    *ascii = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi16(biased, below_ascii));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi16(biased, below), /* under U+0800 */
                                                    _mm_cmpeq_epi16(_mm_and_si128(v, top5), surrogate)));
}
#endif

/* The UTF-8 of n UCS-2 characters at out (room for 3n bytes and one more): its end, or
 * NULL at a lone surrogate. Chinese prose is mostly runs of three-byte characters between
 * runs of ASCII (figures, punctuation): with SSE2 both go eight at a time, each block
 * encoded whole and kept up to its first character of the other kind, where the next
 * block starts; a two-byte character goes alone. The blocks run while nine characters
 * are left, so the stores (26 bytes from o) stay inside the room of those nine (27 and
 * one more); the last characters are the end of a block overlapping the one before,
 * encoded aside and copied, when they are all of one kind. */
static unsigned char *utf8_of_ucs2(const Py_UCS2 *p, Py_ssize_t n, unsigned char *o) {
    Py_ssize_t i = 0;
#if defined(PB_UCS2_BLOCKS)
    while (n - i >= 9) {
        __m128i v = _mm_loadu_si128((const void *)(p + i));
        unsigned ascii, bits = ucs2_other_bits(v, &ascii);
        Py_ssize_t three = bits ? (Py_ssize_t)(__builtin_ctz(bits) / 2) : 8; /* the block's leading three-byte characters */
        if (three) {
            ucs2_three_bytes8(v, o);
            o += 3 * three;
            i += three;
            continue;
        }
        Py_ssize_t one = ascii == 0xFFFF ? 8 : (Py_ssize_t)(__builtin_ctz(~ascii) / 2); /* its leading ASCII */
        if (one) {
            _mm_storel_epi64((void *)o, _mm_packus_epi16(v, v));
            o += one;
            i += one;
            continue;
        }
        unsigned c = p[i++]; /* U+0080..07FF, or a surrogate */
        if (c - 0xD800u < 0x800u) return NULL;
        o[0] = (unsigned char)(0xC0 | c >> 6);
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        o += 2;
    }
    if (n >= 8 && i < n) { /* the last n - i (at most eight): the end of the block at n - 8 */
        __m128i v = _mm_loadu_si128((const void *)(p + n - 8));
        unsigned ascii, bits = ucs2_other_bits(v, &ascii);
        int skip = (int)(i - (n - 8)); /* the block's characters already written */
        unsigned char aside[32];
        if ((bits >> (2 * skip)) == 0) {
            ucs2_three_bytes8(v, aside);
            memcpy(o, aside + 3 * skip, (size_t)(3 * (n - i)));
            return o + 3 * (n - i);
        }
        if ((ascii >> (2 * skip)) == (0xFFFFu >> (2 * skip))) {
            _mm_storeu_si128((void *)aside, _mm_packus_epi16(v, v));
            memcpy(o, aside + skip, (size_t)(n - i));
            return o + (n - i);
        }
    }
#endif
    for (; i < n; i++) {
        unsigned c = p[i];
        if (c >= 0x800) {
            if (c - 0xD800u < 0x800u) return NULL;
            o[0] = (unsigned char)(0xE0 | c >> 12);
            o[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            o[2] = (unsigned char)(0x80 | (c & 0x3F));
            o += 3;
        } else if (c < 0x80) {
            *o++ = (unsigned char)c;
        } else {
            o[0] = (unsigned char)(0xC0 | c >> 6);
            o[1] = (unsigned char)(0x80 | (c & 0x3F));
            o += 2;
        }
    }
    return o;
}

/* Writes the UTF-8 of str text after the first `used` bytes of fl->bytes and its
 * length through *len: 1 when written, 0 when CPython must encode it (a lone
 * surrogate, which strict UTF-8 refuses with its own error, or a line past the
 * limit, which is refused after that error would be), -1 with an exception.
 * Encoding here saves PyUnicode_AsUTF8AndSize's copy kept on each str: the
 * audit hands fresh strs on every check, so each copy was made for one read. */
static int fact_text_encode(PyObject *text, fact_lines *fl, size_t *cap, size_t used, Py_ssize_t *len) {
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0) return -1;
#endif
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if ((size_t)n > PB_FACTS_MAX_LINE) return 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    int ascii = PyUnicode_IS_ASCII(text);
    size_t most = (size_t)n * (ascii ? 1 : kind == PyUnicode_1BYTE_KIND ? 2 : kind == PyUnicode_2BYTE_KIND ? 3 : 4);
    if (fact_bytes_reserve(fl, cap, used, most) < 0) return -1;
    unsigned char *out = (unsigned char *)fl->bytes + used, *o = out;
    if (ascii) {
        memcpy(out, data, (size_t)n);
        *len = n;
        return 1;
    }
    if (kind == PyUnicode_2BYTE_KIND) { /* Chinese prose: most characters take three bytes */
        if (!(o = utf8_of_ucs2(data, n, out))) return 0;
        *len = (Py_ssize_t)(o - out);
        return 1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80) {
            *o++ = (unsigned char)c;
        } else if (c < 0x800) {
            *o++ = (unsigned char)(0xC0 | c >> 6);
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            if (c >= 0xD800 && c <= 0xDFFF) return 0;
            *o++ = (unsigned char)(0xE0 | c >> 12);
            *o++ = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
        } else {
            *o++ = (unsigned char)(0xF0 | c >> 18);
            *o++ = (unsigned char)(0x80 | (c >> 12 & 0x3F));
            *o++ = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
        }
    }
    *len = (Py_ssize_t)(o - out);
    return 1;
}

/* names: the module's line_names ("line", "text"), made once rather than interned at every call. */
static int fact_lines_copy(PyObject *arg, PyObject *const names[2], fact_lines *fl) {
    memset(fl, 0, sizeof *fl);
    PyObject *seq = PySequence_Fast(arg, "lines must be a sequence of (line, text) pairs");
    if (!seq) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    int rc = -1;
    size_t total = 0, cap = 0;
    fl->lines = PyMem_RawCalloc((size_t)n + 1, sizeof *fl->lines);
    if (!fl->lines || fact_bytes_reserve(fl, &cap, 0, 0) < 0) {
        if (!fl->lines) PyErr_NoMemory();
        goto done;
    }
    fact_line_slots slots = {NULL, {-1, -1}};
    for (Py_ssize_t i = 0; i < n; i++) { /* each item read once: its text, its size, its bytes */
        PyObject *line = NULL, *text = NULL;
        if (fact_line_parts(items[i], names, &slots, &line, &text) < 0) goto item_failed;
        if (!PyUnicode_Check(text)) {
            PyErr_Format(PyExc_TypeError, "line %zd: text must be str, not %.50s", i, Py_TYPE(text)->tp_name);
            goto item_failed;
        }
        long long no = PyLong_AsLongLong(line);
        if (no == -1 && PyErr_Occurred()) goto item_failed;
        Py_ssize_t len;
        int encoded = fact_text_encode(text, fl, &cap, total, &len);
        if (encoded < 0) goto item_failed;
        const char *utf8 = encoded ? fl->bytes + total : PyUnicode_AsUTF8AndSize(text, &len);
        if (!utf8) goto item_failed;
        if ((size_t)len > PB_FACTS_MAX_LINE || (size_t)len > PB_FACTS_MAX_TEXT - total) {
            PyErr_Format(PyExc_ValueError, "line %lld: prose beyond the limits of %zu bytes a line, %zu in all", no,
                         (size_t)PB_FACTS_MAX_LINE, (size_t)PB_FACTS_MAX_TEXT);
            goto item_failed;
        }
        if (!encoded) { /* utf8 lives as long as text */
            if (fact_bytes_reserve(fl, &cap, total, (size_t)len) < 0) goto item_failed;
            memcpy(fl->bytes + total, utf8, (size_t)len);
        }
        fl->lines[i] = (pb_fact_line){(uint64_t)no, NULL, (size_t)len}; /* text: set once the bytes stop moving */
        total += (size_t)len;
        Py_DECREF(line);
        Py_DECREF(text);
        continue;
    item_failed:
        Py_XDECREF(line);
        Py_XDECREF(text);
        goto done;
    }
    for (Py_ssize_t i = 0, at = 0; i < n; i++) {
        fl->lines[i].text = fl->bytes + at;
        at += (Py_ssize_t)fl->lines[i].len;
    }
    fl->n = (size_t)n;
    rc = 0;
done:
    Py_DECREF(seq);
    if (rc < 0) fact_lines_free(fl);
    return rc;
}

/* Runs pb_facts_read (or only the paragraph joining) with the GIL released,
 * and, given checks, the comparisons of the facts with each other too. */
static int facts_run(PyObject *module, PyObject *arg, pb_fact_store *store, int paragraphs_only,
                     pb_fact_checks *checks) {
    fact_lines fl;
    if (fact_lines_copy(arg, get_state(module)->line_names, &fl) < 0) return -1;
    pb_facts_status status;
    pb_fact_checks_status checked = PB_FACT_CHECKS_OK;
    Py_BEGIN_ALLOW_THREADS
    status = paragraphs_only ? pb_facts_paragraphs(store, fl.lines, fl.n) : pb_facts_read(store, fl.lines, fl.n);
    if (status == PB_FACTS_OK && checks) checked = pb_fact_checks_run(checks, store->facts, store->nfacts);
    Py_END_ALLOW_THREADS
    fact_lines_free(&fl);
    if (status == PB_FACTS_NO_MEMORY || checked == PB_FACT_CHECKS_NO_MEMORY) {
        PyErr_NoMemory();
        return -1;
    }
    if (status != PB_FACTS_OK) {
        PyErr_Format(PyExc_ValueError, "read_facts: %s", pb_facts_status_message(status));
        return -1;
    }
    if (checked != PB_FACT_CHECKS_OK) { /* more facts than the store allows: cannot happen */
        PyErr_SetString(PyExc_ValueError, "read_facts: too many facts to compare");
        return -1;
    }
    return 0;
}

/* The str of n bytes of UTF-8 whose characters are all of the BMP and none a surrogate (what
 * the prose holds: its lines came from strs, without lone surrogates), or NULL without an
 * exception when the bytes are anything else. Counting the characters and the widest first
 * lets the str be made at its final size and kind: PyUnicode_DecodeUTF8 grows and widens a
 * writer as it goes, several times the cost on Chinese text. The count and the largest byte
 * take one look at the bytes (sixteen at a time where SSE2 is there): a three-byte lead makes
 * the str UCS-2 (its character is U+0800 or above), decoded and checked in one pass. */
static PyObject *bmp_str(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    size_t chars = 0, i = 0;
    unsigned top = 0;
#if defined(PB_UCS2_BLOCKS)
    const __m128i below = _mm_set1_epi8(-64), one = _mm_set1_epi8(1), zero = _mm_setzero_si128();
    __m128i most = zero;
    for (; i + 16 <= n; i += 16) { /* 1 per continuation byte (-128..-65 signed), summed by _mm_sad_epu8 */
        __m128i v = _mm_loadu_si128((const void *)(u + i));
        __m128i sums = _mm_sad_epu8(_mm_and_si128(_mm_cmplt_epi8(v, below), one), zero);
        chars += 16 - (size_t)(_mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
        most = _mm_max_epu8(most, v);
    }
    if (i < n && n >= 16) { /* the last bytes: the end of the block at n - 16, those before i masked off */
        __m128i v = _mm_loadu_si128((const void *)(u + n - 16));
        unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, below)) >> (16 - (n - i));
        chars += (n - i) - (size_t)__builtin_popcount(cont);
        most = _mm_max_epu8(most, v); /* the bytes before i are counted already: their largest is no news */
        i = n;
    }
    most = _mm_max_epu8(most, _mm_srli_si128(most, 8));
    most = _mm_max_epu8(most, _mm_srli_si128(most, 4));
    most = _mm_max_epu8(most, _mm_srli_si128(most, 2));
    most = _mm_max_epu8(most, _mm_srli_si128(most, 1));
    top = (unsigned)_mm_cvtsi128_si32(most) & 0xFF;
#endif
    for (; i < n; i++) {
        chars += (u[i] & 0xC0) != 0x80;
        if (u[i] > top) top = u[i];
    }
    if (top >= 0xF0) return NULL; /* beyond the BMP, or no UTF-8 */
    if (top < 0x80) {
        PyObject *str = PyUnicode_New((Py_ssize_t)n, 0x7F);
        if (str) memcpy(PyUnicode_DATA(str), s, n);
        return str;
    }
    if (top >= 0xE0) {
        PyObject *str = PyUnicode_New((Py_ssize_t)chars, 0xFFFF);
        if (!str) return NULL;
        /* each character written takes one byte that is no continuation byte, the others of its
         * bytes being continuation bytes: at most `chars` are written */
        Py_UCS2 *o = PyUnicode_2BYTE_DATA(str), *end = o + chars;
        for (i = 0; i < n;) {
            unsigned c = u[i];
            if (c >= 0xE0 && n - i >= 3) { /* E0..EF: a BMP character of U+0800 on, not a surrogate */
                unsigned c1 = u[i + 1] ^ 0x80u, c2 = u[i + 2] ^ 0x80u, cp = (c & 0x0Fu) << 12 | c1 << 6 | c2;
                if ((c1 | c2) > 0x3F || cp < 0x800 || cp - 0xD800u < 0x800u) break;
                *o++ = (Py_UCS2)cp;
                i += 3;
            } else if (c < 0x80) {
                *o++ = (Py_UCS2)c;
                i++;
            } else if (c >= 0xC2 && c <= 0xDF && n - i >= 2 && (u[i + 1] & 0xC0) == 0x80) {
                *o++ = (Py_UCS2)((c & 0x1F) << 6 | (u[i + 1] & 0x3F));
                i += 2;
            } else {
                break;
            }
        }
        if (i < n || o != end) { /* no UTF-8 */
            Py_DECREF(str);
            return NULL;
        }
        return str;
    }
    /* two-byte characters only: Latin-1 or UCS-2, as the widest is */
    unsigned widest = 0x80;
    chars = 0;
    for (i = 0; i < n; chars++) {
        unsigned c = u[i];
        if (c < 0x80) {
            i++;
        } else if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (u[i + 1] & 0xC0) == 0x80) {
            i += 2;
            if (c >= 0xC4) widest = 0x100; /* U+0100 on */
        } else {
            return NULL;
        }
    }
    PyObject *str = PyUnicode_New((Py_ssize_t)chars, widest < 0x100 ? 0xFF : 0xFFFF);
    if (!str) return NULL;
    if (widest < 0x100) {
        Py_UCS1 *o = PyUnicode_1BYTE_DATA(str);
        for (i = 0; i < n;) {
            unsigned c = u[i];
            if (c < 0x80) *o++ = (Py_UCS1)c, i++;
            else *o++ = (Py_UCS1)((c & 0x1F) << 6 | (u[i + 1] & 0x3F)), i += 2;
        }
    } else {
        Py_UCS2 *o = PyUnicode_2BYTE_DATA(str);
        for (i = 0; i < n;) {
            unsigned c = u[i];
            if (c < 0x80) *o++ = (Py_UCS2)c, i++;
            else *o++ = (Py_UCS2)((c & 0x1F) << 6 | (u[i + 1] & 0x3F)), i += 2;
        }
    }
    return str;
}

static PyObject *fact_span_str(const pb_fact_store *st, pb_fact_span span) {
    if (!span.present) Py_RETURN_NONE;
    PyObject *str = bmp_str(st->text + span.off, span.len);
    if (str || PyErr_Occurred()) return str;
    return PyUnicode_DecodeUTF8(st->text + span.off, span.len, "surrogatepass");
}

/* A number field: None, 0 (an exact zero stated in words), 'inf', or
 * (digits, exponent, negative, unit). */
static PyObject *fact_number(const pb_fact_number *v) {
    switch (v->state) {
    case PB_FN_ZERO: return PyLong_FromLong(0);
    case PB_FN_INFINITY: return PyUnicode_FromString("inf");
    case PB_FN_FIGURE:
        return Py_BuildValue("(KiOs)", (unsigned long long)v->digits, (int)v->exponent, v->negative ? Py_True : Py_False,
                             pb_fact_unit_name(v->unit));
    default: Py_RETURN_NONE;
    }
}

static PyObject *optional_index(int32_t index) {
    if (index < 0) Py_RETURN_NONE;
    return PyLong_FromLong(index);
}

/* A str kept for the call: subjects and units repeat from fact to fact. */
static PyObject *cached_name(PyObject **cache, size_t slot, const char *name) {
    if (!cache[slot]) cache[slot] = PyUnicode_FromString(name);
    return Py_XNewRef(cache[slot]);
}

#define FACT_NAME_SLOTS 128

/* The keys of a fact's dict, in Fact's order as its instance dict holds them. */
static const char *const fact_keys[] = {
    "subject", "value", "unit", "value_yuan", "line", "sentence", "share", "change", "change_pct", "reason",
    "decimals", "share_decimals", "change_decimals", "change_pct_decimals", "section", "qualifier", "index",
    "paragraph", "sentence_id", "lines", "part_of", "part_list", "share_base", "share_base_subject"};
#define FACT_KEYS (sizeof fact_keys / sizeof fact_keys[0])

/* One fact as the dict that becomes its Fact's instance dict (pybudget/facts.py sets value,
 * value_yuan, share, change and change_pct to exact decimals): value is (digits, exponent).
 * blank holds every key, with None. */
static PyObject *fact_dict(const pb_fact_store *st, const pb_fact *f, PyObject *const *keys, PyObject *blank, PyObject **names,
                           PyObject **sentence, pb_fact_span *sentence_span, PyObject **section,
                           pb_fact_span *section_span) {
    if (!*sentence || sentence_span->off != f->sentence.off || sentence_span->len != f->sentence.len) {
        Py_XSETREF(*sentence, fact_span_str(st, f->sentence));
        *sentence_span = f->sentence;
        if (!*sentence) return NULL;
    }
    if (!*section || section_span->off != f->section.off || section_span->len != f->section.len) {
        Py_XSETREF(*section, fact_span_str(st, f->section));
        *section_span = f->section;
        if (!*section) return NULL;
    }
    PyObject *lines = PyTuple_New(f->nlines);
    if (!lines) return NULL;
    for (unsigned k = 0; k < f->nlines; k++) {
        PyObject *line = PyLong_FromUnsignedLongLong(f->lines[k]);
        if (!line) {
            Py_DECREF(lines);
            return NULL;
        }
        PyTuple_SET_ITEM(lines, k, line);
    }
    PyObject *values[FACT_KEYS] = {
        cached_name(names, f->subject, pb_fact_subject_name(f->subject)),
        Py_BuildValue("(Kl)", (unsigned long long)f->value.digits, (long)f->value.exponent),
        cached_name(names, FACT_NAME_SLOTS - PB_FU__COUNT + f->unit, pb_fact_unit_name(f->unit)),
        Py_NewRef(Py_None),
        PyLong_FromUnsignedLongLong(f->line),
        Py_NewRef(*sentence),
        fact_number(&f->share),
        fact_number(&f->change),
        fact_number(&f->change_pct),
        fact_span_str(st, f->reason),
        PyLong_FromLong(f->decimals),
        PyLong_FromLong(f->share_decimals),
        PyLong_FromLong(f->change_decimals),
        PyLong_FromLong(f->change_pct_decimals),
        Py_NewRef(*section),
        fact_span_str(st, f->qualifier),
        PyLong_FromLong(f->index),
        PyLong_FromLong(f->paragraph),
        PyLong_FromLong(f->sentence_id),
        lines,
        optional_index(f->part_of),
        optional_index(f->part_list),
        optional_index(f->share_base),
        f->share_base_subject < 0 ? Py_NewRef(Py_None)
                                  : cached_name(names, (size_t)f->share_base_subject,
                                                pb_fact_subject_name((size_t)f->share_base_subject)),
    };
    PyObject *dict = PyDict_Copy(blank); /* sized for every key: no growing as they are set */
    for (size_t k = 0; k < FACT_KEYS; k++)
        if (!values[k]) Py_CLEAR(dict);
    for (size_t k = 0; k < FACT_KEYS; k++) {
        if (dict && PyDict_SetItem(dict, keys[k], values[k]) < 0) Py_CLEAR(dict);
        Py_XDECREF(values[k]);
    }
    return dict;
}

/* The facts of one kept comparison: a tuple of their indexes. */
static PyObject *fact_check_facts(const pb_fact_checks *c, const pb_fact_check *k) {
    PyObject *facts = PyTuple_New(k->count);
    if (!facts) return NULL;
    for (uint32_t i = 0; i < k->count; i++) {
        PyObject *index = PyLong_FromUnsignedLong(c->facts[k->first + i]);
        if (!index) {
            Py_DECREF(facts);
            return NULL;
        }
        PyTuple_SET_ITEM(facts, i, index);
    }
    return facts;
}

/* One rule's kept comparisons as a list: share (a fact index, its base) with
 * the base None for a share of a fact named by index (Fact.share_base), -1 for
 * the tables' figure of its base subject, else the fact of it found; change_pct
 * a fact index each, shares_sum a tuple of indexes, parts_sum (tuple, units)
 * with units None when kept whatever the tolerance's units. */
static PyObject *tuple_of(Py_ssize_t n, PyObject *const *items);

static PyObject *fact_checks_list(const pb_fact_checks *c, int rule) {
    size_t first = c->rule_start[rule], end = c->rule_start[rule + 1];
    PyObject *list = PyList_New((Py_ssize_t)(end - first));
    if (!list) return NULL;
    for (size_t i = first; i < end; i++) {
        const pb_fact_check *k = &c->checks[i];
        PyObject *item;
        if (rule == PB_FACT_CHECK_SHARE) {
            uint32_t base = k->count > 1 ? c->facts[k->first + 1] : 0;
            PyObject *pair[] = {PyLong_FromUnsignedLong(c->facts[k->first]),
                                k->count < 2                     ? Py_NewRef(Py_None)
                                : base == PB_FACT_CHECK_TABLES   ? PyLong_FromLong(-1)
                                                                 : PyLong_FromUnsignedLong(base)};
            item = tuple_of(2, pair);
        } else if (rule == PB_FACT_CHECK_CHANGE_PCT) {
            item = PyLong_FromUnsignedLong(c->facts[k->first]);
        } else if (rule == PB_FACT_CHECK_SHARES_SUM) {
            item = fact_check_facts(c, k);
        } else {
            PyObject *facts = fact_check_facts(c, k);
            PyObject *units = k->units == PB_FACT_CHECK_ALWAYS ? Py_NewRef(Py_None)
                                                               : PyLong_FromUnsignedLongLong(k->units);
            item = facts && units ? PyTuple_Pack(2, facts, units) : NULL;
            Py_XDECREF(facts);
            Py_XDECREF(units);
        }
        if (!item) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)(i - first), item);
    }
    return list;
}

/* ---- FactRows: one document's facts, each one's dict made when it is asked for ---- */

/* The audit reads few of a document's facts (those its C passes leave to Python):
 * the facts stay in their C store, and a fact's dict is made on demand. Holds
 * only strs and a dict of strs to None, so it takes no part in the GC. */
typedef struct {
    PyObject_HEAD
    pb_fact_store store;
    PyObject *keys;                    /* the module's fact_keys and fact_blank */
    PyObject *blank;
    PyObject *names[FACT_NAME_SLOTS];  /* subject and unit strs, made once */
    PyObject *sentence, *section;      /* the last made: neighbouring facts share them */
    pb_fact_span sentence_span, section_span;
} FactRowsObject;

static void FactRows_dealloc(FactRowsObject *self) {
    PyTypeObject *tp = Py_TYPE(self);
    pb_fact_store_free(&self->store);
    Py_XDECREF(self->keys);
    for (size_t k = 0; k < FACT_NAME_SLOTS; k++) Py_XDECREF(self->names[k]);
    Py_XDECREF(self->blank);
    Py_XDECREF(self->sentence);
    Py_XDECREF(self->section);
    PyObject_Free(self);
    Py_DECREF(tp);
}

static Py_ssize_t FactRows_len(FactRowsObject *self) { return (Py_ssize_t)self->store.nfacts; }

static PyObject *FactRows_item(FactRowsObject *self, Py_ssize_t i) {
    if (i < 0 || (size_t)i >= self->store.nfacts) {
        PyErr_SetString(PyExc_IndexError, "fact index out of range");
        return NULL;
    }
    return fact_dict(&self->store, &self->store.facts[i], PySequence_Fast_ITEMS(self->keys), self->blank, self->names,
                     &self->sentence, &self->sentence_span, &self->section, &self->section_span);
}

static PyObject *FactRows_subjects(FactRowsObject *self, PyObject *Py_UNUSED(ignored)) {
    PyObject *subjects = PyTuple_New((Py_ssize_t)self->store.nfacts);
    if (!subjects) return NULL;
    for (size_t k = 0; k < self->store.nfacts; k++) {
        size_t subject = self->store.facts[k].subject;
        PyObject *name = cached_name(self->names, subject, pb_fact_subject_name(subject));
        if (!name) {
            Py_DECREF(subjects);
            return NULL;
        }
        PyTuple_SET_ITEM(subjects, (Py_ssize_t)k, name);
    }
    return subjects;
}

static PyMethodDef FactRows_methods[] = {
    {"subjects", (PyCFunction)FactRows_subjects, METH_NOARGS,
     "subjects() -> tuple[str, ...]\n\nEvery fact's subject, in reading order (without making the facts' dicts)."},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot FactRows_slots[] = {
    {Py_tp_doc, "The facts of one document's prose (from fact_rows): rows[i] makes fact i's dict, as read_facts\n"
                "gives it; subjects() names every fact's subject."},
    {Py_tp_dealloc, FactRows_dealloc},
    {Py_tp_methods, FactRows_methods},
    {Py_sq_length, FactRows_len},
    {Py_sq_item, FactRows_item},
    {0, NULL},
};

static PyType_Spec FactRows_spec = {
    "pybudget._core.FactRows", sizeof(FactRowsObject), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    FactRows_slots,
};

/* Reads the facts of prose lines into a new FactRows (and their comparisons into checks, when given). */
static FactRowsObject *fact_rows_read(PyObject *module, PyObject *lines, pb_fact_checks *checks) {
    core_state *st = get_state(module);
    FactRowsObject *self = PyObject_New(FactRowsObject, st->fact_rows_type);
    if (!self) return NULL;
    pb_fact_store_init(&self->store, NULL);
    memset(self->names, 0, sizeof self->names);
    self->keys = Py_NewRef(st->fact_keys);
    self->blank = Py_NewRef(st->fact_blank);
    self->sentence = self->section = NULL;
    self->sentence_span = self->section_span = (pb_fact_span){0, 0, 0};
    if (facts_run(module, lines, &self->store, 0, checks) < 0) goto failed;
    return self;
failed:
    Py_DECREF(self);
    return NULL;
}

/* The kept comparisons of each rule, as read_facts gives them. */
static PyObject *fact_checks_by_rule(const pb_fact_checks *checks) {
    PyObject *lists[PB_FACT_CHECK_RULES] = {NULL};
    int made = 1;
    for (int rule = 0; rule < PB_FACT_CHECK_RULES; rule++) made = made && (lists[rule] = fact_checks_list(checks, rule));
    PyObject *by_rule = made ? PyTuple_New(PB_FACT_CHECK_RULES) : NULL;
    for (int rule = 0; rule < PB_FACT_CHECK_RULES; rule++) {
        if (by_rule) PyTuple_SET_ITEM(by_rule, rule, lists[rule]);
        else Py_XDECREF(lists[rule]);
    }
    return by_rule;
}

/* A fact's record in read_facts' numbers is its pb_restate_fact's bytes. */
typedef char restate_fact_is_24_bytes[sizeof(pb_restate_fact) == 24 ? 1 : -1];

/* The facts' numbers for restated_facts: (sections, records), a pb_restate_fact per fact naming its
 * section by its index in sections (a str per run of facts in one section). */
static PyObject *fact_numbers(const pb_fact_store *st) {
    PyObject *sections = PyList_New(0), *result = NULL;
    PyObject *records = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(st->nfacts * sizeof(pb_restate_fact)));
    if (!sections || !records) goto done;
    char *out = PyBytes_AS_STRING(records);
    pb_fact_span last = {0, 0, 0};
    for (size_t k = 0; k < st->nfacts; k++) {
        const pb_fact *f = &st->facts[k];
        if (k == 0 || f->section.off != last.off || f->section.len != last.len || f->section.present != last.present) {
            PyObject *section = fact_span_str(st, f->section);
            int added = section ? PyList_Append(sections, section) : -1;
            Py_XDECREF(section);
            if (added < 0) goto done;
            last = f->section;
        }
        pb_restate_fact r = pb_restate_fact_of(f, (uint32_t)(PyList_GET_SIZE(sections) - 1));
        memcpy(out + k * sizeof r, &r, sizeof r);
    }
    PyObject *tuple = PyList_AsTuple(sections);
    if (tuple) result = PyTuple_Pack(2, tuple, records);
    Py_XDECREF(tuple);
done:
    Py_XDECREF(sections);
    Py_XDECREF(records);
    return result;
}

static PyObject *core_read_facts(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs < 1 || nargs > 2) {
        PyErr_Format(PyExc_TypeError, "read_facts() takes 1 or 2 arguments (%zd given)", nargs);
        return NULL;
    }
    int with_checks = nargs > 1 ? PyObject_IsTrue(args[1]) : 0;
    if (with_checks < 0) return NULL;
    pb_fact_checks checks;
    pb_fact_checks_init(&checks, NULL);
    PyObject *result = NULL;
    FactRowsObject *rows = fact_rows_read(module, args[0], with_checks ? &checks : NULL);
    if (!rows) goto done;
    result = PyList_New((Py_ssize_t)rows->store.nfacts);
    if (!result) goto done;
    for (size_t k = 0; k < rows->store.nfacts; k++) {
        PyObject *row = FactRows_item(rows, (Py_ssize_t)k);
        if (!row) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, (Py_ssize_t)k, row);
    }
    if (with_checks) {
        PyObject *by_rule = fact_checks_by_rule(&checks);
        PyObject *numbers = by_rule ? fact_numbers(&rows->store) : NULL;
        PyObject *all = numbers ? PyTuple_Pack(3, result, by_rule, numbers) : NULL;
        Py_XDECREF(by_rule);
        Py_XDECREF(numbers);
        Py_SETREF(result, all);
    }
done:
    pb_fact_checks_free(&checks);
    Py_XDECREF(rows);
    return result;
}

static PyObject *core_fact_rows(PyObject *module, PyObject *lines) {
    pb_fact_checks checks;
    pb_fact_checks_init(&checks, NULL);
    PyObject *result = NULL;
    FactRowsObject *rows = fact_rows_read(module, lines, &checks);
    PyObject *by_rule = rows ? fact_checks_by_rule(&checks) : NULL;
    PyObject *numbers = by_rule ? fact_numbers(&rows->store) : NULL;
    if (numbers) result = PyTuple_Pack(3, (PyObject *)rows, by_rule, numbers);
    Py_XDECREF(by_rule);
    Py_XDECREF(numbers);
    Py_XDECREF(rows);
    pb_fact_checks_free(&checks);
    return result;
}

/* A spec's figure for restated_facts, as audit_tables found it: None (not printed), False (Python finds
 * it) or (table, row, fen[, way]); the power of ten of its digit is its table's in `tables` (audit_tables'
 * (has_figures, step, res_pow) per table; a res_pow of None leaves the figure to Python). */
static int restate_figure(PyObject *item, Py_ssize_t k, PyObject *tables, pb_restate_figure *out) {
    *out = (pb_restate_figure){0, 0, PB_RESTATE_NOT_PRINTED};
    if (item == Py_None) return 0;
    if (item == Py_False) {
        out->state = PB_RESTATE_PYTHON;
        return 0;
    }
    if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) < 3 || PyTuple_GET_SIZE(item) > 4) {
        PyErr_Format(PyExc_TypeError, "restated_facts: figure %zd must be None, False or (table, row, fen[, way])", k);
        return -1;
    }
    /* a figure that is not an int, or past 64 bits, raises as PyLong's conversions do */
    Py_ssize_t table = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 0));
    if (table == -1 && PyErr_Occurred()) return -1;
    long long fen = PyLong_AsLongLong(PyTuple_GET_ITEM(item, 2));
    if (fen == -1 && PyErr_Occurred()) return -1;
    if (table < 0 || table >= PyTuple_GET_SIZE(tables)) {
        PyErr_Format(PyExc_ValueError, "restated_facts: figure %zd is of table %zd, not one of the %zd tables", k,
                     table, PyTuple_GET_SIZE(tables));
        return -1;
    }
    PyObject *steps = PyTuple_GET_ITEM(tables, table);
    PyObject *power = PyTuple_Check(steps) && PyTuple_GET_SIZE(steps) == 3 ? PyTuple_GET_ITEM(steps, 2) : NULL;
    if (power == Py_None) {
        out->state = PB_RESTATE_PYTHON;
        return 0;
    }
    long res_pow = power && PyLong_Check(power) ? PyLong_AsLong(power) : -1000;
    if (res_pow < -100 || res_pow > 100) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "restated_facts: table %zd must be (has_figures, step, res_pow), res_pow "
                     "None or within -100 .. 100", table);
        return -1;
    }
    *out = (pb_restate_figure){(int64_t)fen, (int32_t)res_pow, PB_RESTATE_PRINTED};
    return 0;
}

/* restated_facts(numbers, contexts, ways, figures, tables): the indexes of the facts text.vs_table must
 * look at (csrc/pb_restate.h); the rest are decided. numbers is read_facts' (sections, records),
 * contexts a bytes of each section's context, ways a bytes of native int32 (2 × subjects × 3), figures
 * audit_tables' figure of each spec and tables its (has_figures, step, res_pow) of each table. Everything
 * is copied first (raw allocator); the decisions run with the GIL released. */
static PyObject *core_restated_facts(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *sections, *records, *contexts, *ways, *figures, *tables, *seq = NULL, *result = NULL;
    pb_restate_fact *facts = NULL;
    pb_restate_figure *found = NULL;
    int32_t *way_items = NULL;
    uint8_t *context_items = NULL;
    uint32_t *look = NULL;
    if (!PyArg_ParseTuple(args, "(O!O!)O!O!OO!:restated_facts", &PyTuple_Type, &sections, &PyBytes_Type, &records,
                          &PyBytes_Type, &contexts, &PyBytes_Type, &ways, &figures, &PyTuple_Type, &tables))
        return NULL;
    Py_ssize_t record_bytes = PyBytes_GET_SIZE(records), way_bytes = PyBytes_GET_SIZE(ways);
    const size_t way_row = 2 * PB_RESTATE_CONTEXTS * sizeof(int32_t);
    if (record_bytes % (Py_ssize_t)sizeof(pb_restate_fact) || way_bytes % (Py_ssize_t)way_row) {
        PyErr_SetString(PyExc_ValueError, "restated_facts: numbers or ways of the wrong size");
        return NULL;
    }
    if (PyBytes_GET_SIZE(contexts) != PyTuple_GET_SIZE(sections)) {
        PyErr_SetString(PyExc_ValueError, "restated_facts: one context per section");
        return NULL;
    }
    size_t n = (size_t)record_bytes / sizeof(pb_restate_fact);
    if (n > PB_FACTS_MAX_FACTS) {
        PyErr_SetString(PyExc_ValueError, "restated_facts: more facts than read_facts reads");
        return NULL;
    }
    if (!(seq = PySequence_Fast(figures, "restated_facts: figures must be a sequence"))) return NULL;
    Py_ssize_t n_figures = PySequence_Fast_GET_SIZE(seq);
    facts = PyMem_RawMalloc(n ? n * sizeof *facts : 1);
    found = PyMem_RawMalloc(n_figures ? (size_t)n_figures * sizeof *found : 1);
    way_items = PyMem_RawMalloc(way_bytes ? (size_t)way_bytes : 1);
    context_items = PyMem_RawMalloc(PyBytes_GET_SIZE(contexts) ? (size_t)PyBytes_GET_SIZE(contexts) : 1);
    look = PyMem_RawMalloc(n ? n * sizeof *look : 1);
    if (!facts || !found || !way_items || !context_items || !look) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n_figures; k++)
        if (restate_figure(PySequence_Fast_GET_ITEM(seq, k), k, tables, &found[k]) < 0) goto done;
    /* aligned copies of the bytes, in memory of the raw allocator: nothing Python owns is read without the GIL */
    memcpy(facts, PyBytes_AS_STRING(records), (size_t)record_bytes);
    memcpy(way_items, PyBytes_AS_STRING(ways), (size_t)way_bytes);
    memcpy(context_items, PyBytes_AS_STRING(contexts), (size_t)PyBytes_GET_SIZE(contexts));
    pb_restate_plan plan = {way_items, (size_t)way_bytes / way_row, context_items, (size_t)PyBytes_GET_SIZE(contexts),
                            found, (size_t)n_figures};
    size_t kept;
    Py_BEGIN_ALLOW_THREADS
    kept = pb_restate_run(facts, n, &plan, look);
    Py_END_ALLOW_THREADS
    result = PyList_New((Py_ssize_t)kept);
    for (size_t k = 0; result && k < kept; k++) {
        PyObject *index = PyLong_FromUnsignedLong(look[k]);
        if (!index) Py_CLEAR(result);
        else PyList_SET_ITEM(result, (Py_ssize_t)k, index);
    }
done:
    Py_XDECREF(seq);
    PyMem_RawFree(facts);
    PyMem_RawFree(found);
    PyMem_RawFree(way_items);
    PyMem_RawFree(context_items);
    PyMem_RawFree(look);
    return result;
}

/* Code points in s[0, n) (offsets Python keeps are in characters). */
static Py_ssize_t utf8_chars(const char *s, size_t n) {
    Py_ssize_t count = 0;
    for (size_t i = 0; i < n; i++) count += ((unsigned char)s[i] & 0xC0) != 0x80;
    return count;
}

static PyObject *paragraph_tuple(const pb_fact_store *st, const pb_fact_paragraph *p) {
    PyObject *starts = PyList_New(p->nstarts);
    if (!starts) return NULL;
    const char *text = st->text + p->text.off;
    Py_ssize_t chars = 0;
    uint32_t prev = 0;
    for (uint32_t k = 0; k < p->nstarts; k++) {
        const pb_fact_start *s = &st->starts[p->first_start + k];
        chars += utf8_chars(text + prev, s->off - prev);
        prev = s->off;
        PyObject *pair = Py_BuildValue("(nK)", chars, (unsigned long long)s->line);
        if (!pair) {
            Py_DECREF(starts);
            return NULL;
        }
        PyList_SET_ITEM(starts, k, pair);
    }
    return Py_BuildValue("(NNNO)", fact_span_str(st, p->text), starts, fact_span_str(st, p->section), p->heading ? Py_True : Py_False);
}

static PyObject *core_fact_paragraphs(PyObject *module, PyObject *arg) {
    pb_fact_store store;
    pb_fact_store_init(&store, NULL);
    PyObject *result = NULL;
    if (facts_run(module, arg, &store, 1, NULL) < 0) goto done;
    result = PyList_New((Py_ssize_t)store.nparas);
    if (!result) goto done;
    for (size_t k = 0; k < store.nparas; k++) {
        PyObject *row = paragraph_tuple(&store, &store.paras[k]);
        if (!row) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, (Py_ssize_t)k, row);
    }
done:
    pb_fact_store_free(&store);
    return result;
}

static PyObject *core_fact_tables(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    PyObject *subjects = NULL, *classes = NULL;
    size_t count = pb_fact_subject_count();
    const char *code, *name;
    if (!(subjects = PyTuple_New((Py_ssize_t)count)) || !(classes = PyList_New(0))) goto failed;
    for (size_t k = 0; k < count; k++) {
        PyObject *s = PyUnicode_FromString(pb_fact_subject_name(k));
        if (!s) goto failed;
        PyTuple_SET_ITEM(subjects, (Py_ssize_t)k, s);
    }
    for (size_t k = 0; pb_fact_function_class(k, &code, &name); k++) {
        PyObject *pair = Py_BuildValue("(ss)", code, name);
        int appended = pair ? PyList_Append(classes, pair) : -1;
        Py_XDECREF(pair);
        if (appended < 0) goto failed;
    }
    return Py_BuildValue("(NN)", subjects, classes);
failed:
    Py_XDECREF(subjects);
    Py_XDECREF(classes);
    return NULL;
}

/* The UTF-8 of a str: its own cached copy, or, for a str holding lone
 * surrogates (which UTF-8 cannot hold), the bytes "surrogatepass" writes, kept
 * in *holder; the core reads such a surrogate as one character, as Python
 * does. NULL with an exception set. */
static const char *name_utf8(PyObject *text, Py_ssize_t *n, PyObject **holder) {
    *holder = NULL;
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, n);
    if (utf8 || !PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) return utf8;
    PyErr_Clear();
    *holder = PyUnicode_AsEncodedString(text, "utf-8", "surrogatepass");
    if (!*holder) return NULL;
    *n = PyBytes_GET_SIZE(*holder);
    return PyBytes_AS_STRING(*holder);
}

/* ---- the audit's pass over the tables --------------------------------------- *
 * audit_tables(tables, plans, units, figures, plan_of, memo_keys) packs a
 * document's tables into the core's plain arrays (pb_audit.h) and returns the
 * comparisons that differ by more than rounding allows, the figures the prose
 * may restate (pb_figure.h) and the blocks of cross.function_code that differ
 * (pb_cross.h), with what the check's Python asks of every table besides (its
 * memo entries, what the structure rules read), so that no Python loop over
 * the tables is left around the pass; audit_lookup(table, measures, what)
 * packs one table for its project list or class rows.
 * Every text is copied into one arena, so nothing Python owns is read with
 * the GIL released. Row flags are worked out here, with Python's own string
 * semantics (str.isdigit, str.strip), so the core needs none. */
/* The first allocation of a vector or the arena: what a document's tables take (a few hundred rows,
 * a few thousand cells) fits in it, so they are seldom copied to a larger one. */
#define AUDIT_FIRST_BYTES 32768

/* A growable byte arena; texts are kept as offsets until it stops moving. */
typedef struct audit_arena {
    char *bytes;
    size_t len, cap;
} audit_arena;

static int arena_reserve(audit_arena *a, size_t more) {
    if (more > PY_SSIZE_T_MAX - a->len) {
        PyErr_NoMemory();
        return -1;
    }
    if (a->len + more <= a->cap) return 0;
    size_t want = a->cap ? a->cap : AUDIT_FIRST_BYTES;
    while (want < a->len + more) want *= 2;
    char *p = PyMem_Realloc(a->bytes, want);
    if (!p) {
        PyErr_NoMemory();
        return -1;
    }
    a->bytes = p;
    a->cap = want;
    return 0;
}

/* A text kept as an offset into the arena (resolved to a pointer at the end). */
typedef struct arena_text {
    size_t off, len;
} arena_text;

/* One code point as UTF-8 at o; returns its length. A lone surrogate takes three bytes, as
 * "surrogatepass" writes it (a str keeps a character past U+FFFF whole, never as a pair). */
static size_t utf8_put(unsigned char *o, Py_UCS4 cp) {
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* utf8_put over UCS-2 text, a CJK character (three bytes) tested for first: most of a name. */
static size_t utf8_from_ucs2(unsigned char *o, const Py_UCS2 *s, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        Py_UCS2 cp = s[i];
        if (cp >= 0x800) {
            o[n] = (unsigned char)(0xE0 | (cp >> 12));
            o[n + 1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            o[n + 2] = (unsigned char)(0x80 | (cp & 0x3F));
            n += 3;
        } else {
            n += utf8_put(o + n, cp);
        }
    }
    return n;
}

/* The UTF-8 of a str copied into the arena: the bytes name_utf8 gives (lone surrogates passed
 * through), encoded here from the str's code points. PyUnicode_AsUTF8 would first give a fresh
 * str (every name of a newly parsed document) a UTF-8 copy of its own, allocated and kept. */
static int arena_str(audit_arena *a, PyObject *s, arena_text *out) {
    if (PyUnicode_READY(s) < 0) return -1;
    size_t len = (size_t)PyUnicode_GET_LENGTH(s);
    if (len == 0) { /* nothing to copy (and the arena may not be allocated yet) */
        *out = (arena_text){a->len, 0};
        return 0;
    }
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    size_t most = PyUnicode_IS_ASCII(s) ? 1 : kind == PyUnicode_1BYTE_KIND ? 2 : kind == PyUnicode_2BYTE_KIND ? 3 : 4;
    if (len > PY_SSIZE_T_MAX / 4 || arena_reserve(a, len * most) < 0) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        return -1;
    }
    unsigned char *o = (unsigned char *)a->bytes + a->len;
    size_t n = 0;
    if (most == 1) {
        memcpy(o, data, len);
        n = len;
    } else if (kind == PyUnicode_1BYTE_KIND) {
        for (size_t i = 0; i < len; i++) n += utf8_put(o + n, ((const Py_UCS1 *)data)[i]);
    } else if (kind == PyUnicode_2BYTE_KIND) {
        n = utf8_from_ucs2(o, data, len);
    } else {
        for (size_t i = 0; i < len; i++) n += utf8_put(o + n, ((const Py_UCS4 *)data)[i]);
    }
    *out = (arena_text){a->len, n};
    a->len += n;
    return 0;
}

static pb_audit_text arena_resolve(const audit_arena *a, arena_text t) {
    return (pb_audit_text){t.len ? a->bytes + t.off : NULL, t.len};
}

/* A growable array of fixed-size items. */
typedef struct audit_vec {
    void *items;
    size_t count, cap, size;
} audit_vec;

static void *vec_push(audit_vec *v, size_t more) {
    if (v->count + more > v->cap) {
        size_t want = v->cap ? v->cap : AUDIT_FIRST_BYTES / v->size;
        while (want < v->count + more) want *= 2;
        if (want > PY_SSIZE_T_MAX / v->size) {
            PyErr_NoMemory();
            return NULL;
        }
        void *p = PyMem_Realloc(v->items, want * v->size);
        if (!p) {
            PyErr_NoMemory();
            return NULL;
        }
        v->items = p;
        v->cap = want;
    }
    void *at = (char *)v->items + v->count * v->size;
    v->count += more;
    return at;
}

/* What is packed, before the arena stops moving. */
typedef struct audit_row_texts {
    arena_text name, norm, code;
} audit_row_texts;

typedef struct audit_table_plan {
    arena_text kind;
    size_t first_row, n_rows, first_slot, n_columns, n_slots, first_cell, first_eq, n_eqs, first_start;
    uint64_t step_fen;
    uint64_t half_step_fen; /* half a unit of the last printed digit in 分, rounded down (pb_targets.h) */
    unsigned needs;  /* NEED_* the rows were packed for */
    int has_figures; /* some row prints an amount (lookup.table_has_figures) */
    int names_other; /* its department is a name and not the first a table named (audit_pack.first_department) */
    int res_pow;     /* one unit of the last printed digit is 10**res_pow 元 (AUDIT_NO_POWER: no such power) */
} audit_table_plan;

/* audit_table_plan.res_pow of a resolution that is no power of ten within ±100 (as core_pass._power_of_ten). */
#define AUDIT_NO_POWER INT_MIN

/* The open-addressed table of the row names met (audit_pack.name_slot): once it is three-quarters
 * full, further names are copied and normalised without being kept. */
#define NAME_MEMO_SLOTS 1024
#define NAME_MEMO_MOST (NAME_MEMO_SLOTS / 4 * 3)

/* A row name met before: its copy, normal form and class are shared by every row printing it (the
 * income and expenditure tables print the same function names, the two 收支总表 the same lines). */
typedef struct name_memo_entry {
    PyObject *name;  /* held: the memo must not outlive it; NULL for an entry not kept */
    arena_text raw;  /* the name as printed, in the arena */
    arena_text norm; /* with normed: pb_norm_name of it (raw itself when plain) */
    uint8_t plain;   /* pb_norm_name leaves the name as it is (name_plain) */
    uint8_t normed;
    int8_t is_class; /* pb_class_code of raw, -1 before it is asked */
    char code[4];
} name_memo_entry;

/* Attribute names, interned once per call. */
enum { A_KIND, A_ROWS, A_DEPARTMENT, A_LINE, A_NAME, A_CODE, A_SIDE, A_ROLE, A_FEN, A_TEXTS, A_UNIT_CODE,
       A_PROJECT_TYPE, A_COLUMNS, A_UNIT, A_DECIMALS, A_MEASURE, A_TITLE, A_OVERALL, A_FUNDS_FEN, A_ANNUAL_TOTAL,
       A_COUNT };
static const char *const audit_attr_names[A_COUNT] = {"kind", "rows", "department", "line", "name",
                                                      "code", "side", "role", "fen", "texts",
                                                      "unit_code", "project_type", "columns", "unit",
                                                      "decimals", "measure", "title", "overall",
                                                      "funds_fen", "annual_total"};

typedef struct audit_pack {
    audit_arena arena;
    audit_vec plans;     /* audit_table_plan */
    audit_vec rows;      /* pb_audit_row */
    audit_vec texts;     /* audit_row_texts */
    audit_vec slots;     /* arena_text */
    audit_vec state;     /* uint8_t */
    audit_vec fen;       /* int64_t */
    audit_vec lhs;       /* uint32_t, per equation */
    audit_vec part_start;/* uint32_t, per equation + 1 per table */
    audit_vec parts;     /* uint32_t */
    PyObject *slot_names; /* list: the measure str of each slot of the table being packed */
    /* audit_seen: the Row.fen keys of the table being packed met so far, each with its slot. The
     * parser hands every row the same key objects, so after the first row a key's slot is found by
     * its address, with no string compared. */
    audit_vec seen;
    audit_vec cells; /* audit_cell: the table being packed's, reused from table to table */
    audit_vec classes; /* uint32_t: each table's class rows (pb_audit_table.class_rows), once resolved */
    /* The row names met so far (name_memo_entry), found by name_slot. */
    audit_vec name_memo;
    uint32_t name_slot[NAME_MEMO_SLOTS]; /* an entry's index + 1, 0 for none */
    /* Where a Row (a slots dataclass) keeps each attribute: read there directly, which
     * costs a fraction of an attribute lookup; any other type of row is asked by name. */
    PyTypeObject *row_type;
    Py_ssize_t row_offsets[A_COUNT];
    /* Where a Column keeps its measure, as for the rows (audit_plan_by_key). */
    PyTypeObject *column_type;
    Py_ssize_t measure_offset;
    /* The first department a table packed names (not None or empty), for structure.department. */
    PyObject *first_department;
    audit_vec forms; /* audit_form: the document's performance-target forms (audit_target_forms) */
} audit_pack;

/* A 项目支出绩效目标表 with a 年度资金总额, its name in the arena (pb_target_form once resolved). */
typedef struct audit_form {
    arena_text name;
    int64_t fen;
} audit_form;

/* A fen key met before, held (the memo must not outlive it), and its slot. */
typedef struct audit_seen {
    PyObject *key;
    Py_ssize_t slot;
} audit_seen;

static void audit_seen_clear(audit_pack *p) {
    audit_seen *seen = p->seen.items;
    for (size_t i = 0; i < p->seen.count; i++) Py_DECREF(seen[i].key);
    p->seen.count = 0;
}

static void audit_pack_free(audit_pack *p) {
    PyMem_Free(p->arena.bytes);
    audit_seen_clear(p);
    const name_memo_entry *names = p->name_memo.items;
    for (size_t i = 0; i < p->name_memo.count; i++) Py_XDECREF(names[i].name);
    audit_vec *vecs[] = {&p->plans, &p->rows, &p->texts, &p->slots, &p->state, &p->fen, &p->lhs, &p->part_start,
                         &p->parts, &p->seen, &p->cells, &p->classes, &p->name_memo, &p->forms};
    for (size_t i = 0; i < sizeof vecs / sizeof *vecs; i++) PyMem_Free(vecs[i]->items);
    Py_XDECREF(p->slot_names);
    Py_XDECREF(p->row_type);
    Py_XDECREF(p->column_type);
    Py_XDECREF(p->first_department);
}

/* Learns where rows of the type of `row` keep their attributes (member descriptors of a
 * slots class); a type that keeps any of them elsewhere is always asked by name. */
static void audit_row_layout(audit_pack *p, PyObject *row, PyObject *const *attr) {
    PyTypeObject *type = Py_TYPE(row);
    if (p->row_type == type) return;
    Py_CLEAR(p->row_type);
    for (int i = 0; i < A_COUNT; i++) {
        p->row_offsets[i] = -1;
        if (i >= A_LINE && i <= A_TEXTS) p->row_offsets[i] = object_slot_offset(type, attr[i]); /* Row's */
    }
    Py_INCREF(type);
    p->row_type = type;
}

/* row.<attr[i]>, a new reference (NULL with an exception). */
static PyObject *audit_row_attr(const audit_pack *p, PyObject *row, PyObject *const *attr, int i) {
    if (Py_TYPE(row) == p->row_type && p->row_offsets[i] >= 0) {
        PyObject *value = *(PyObject **)((char *)row + p->row_offsets[i]);
        if (value) {
            Py_INCREF(value);
            return value;
        }
    }
    return PyObject_GetAttr(row, attr[i]); /* an unset slot raises AttributeError here */
}


/* s == word for an object and an ASCII word (PyUnicode_CompareWithASCIIString(s, word) == 0 for
 * a str), with no call: a str equal to an ASCII word is stored as ASCII. */
static int str_is_ascii(PyObject *s, const char *word, size_t n) {
    if (!PyUnicode_Check(s)) return 0;
    if (!PyUnicode_IS_READY(s)) return PyUnicode_CompareWithASCIIString(s, word) == 0; /* a legacy str */
    return PyUnicode_IS_ASCII(s) && (size_t)PyUnicode_GET_LENGTH(s) == n &&
           memcmp(PyUnicode_1BYTE_DATA(s), word, n) == 0;
}
#define STR_IS(s, literal) str_is_ascii((s), (literal), sizeof(literal) - 1)

/* PB_ROW_BLANK_NAME when str.strip() == '', PB_ROW_QIZHONG when s.lstrip().startswith('其中'):
 * both read past the same leading blanks, once. */
static uint32_t str_lead_flags(PyObject *s) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(s), i = 0;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    /* no blank lies past U+3000 (the CJK text a name starts with), so those are not asked about */
    for (Py_UCS4 c; i < n && (c = PyUnicode_READ(kind, data, i)) <= 0x3000 && Py_UNICODE_ISSPACE(c);) i++;
    if (i == n) return PB_ROW_BLANK_NAME;
    return i + 1 < n && PyUnicode_READ(kind, data, i) == 0x5176 && PyUnicode_READ(kind, data, i + 1) == 0x4E2D
               ? PB_ROW_QIZHONG
               : 0;
}

/* lookup.is_function_code: 3, 5 or 7 decimal digits starting with 2. */
static int str_function_code(PyObject *s) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (n != 3 && n != 5 && n != 7) return 0;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    if (PyUnicode_READ(kind, data, 0) != '2') return 0;
    for (Py_ssize_t i = 1; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80 ? c < '0' || c > '9' : !Py_UNICODE_ISDECIMAL(c)) return 0; /* ASCII without a call */
    }
    return 1;
}

/* str.isdigit() of UTF-8 text (the normalised name): non-empty, every character a digit. */
static int utf8_isdigit(const char *s, size_t n) {
    if (n == 0) return 0;
    for (size_t i = 0, len; i < n; i += len) {
        uint32_t cp = pb_unicode_char((const unsigned char *)s + i, n - i, &len);
        if (cp == PB_NOT_A_CHAR || !Py_UNICODE_ISDIGIT(cp)) return 0;
    }
    return 1;
}

/* bool(texts.get(key)): 1, 0, or -1 with an exception (key an interned str). */
static int dict_truthy(PyObject *dict, PyObject *key) {
    if (!PyDict_Check(dict) || PyDict_GET_SIZE(dict) == 0) return 0;
    PyObject *v = PyDict_GetItemWithError(dict, key);
    if (v == NULL) return PyErr_Occurred() ? -1 : 0;
    return PyObject_IsTrue(v);
}

/* a == b for two str (PyUnicode_Compare(a, b) == 0): a str's kind is the narrowest that holds
 * it, so equal strings have the same kind, length and code units. */
static int str_eq(PyObject *a, PyObject *b) {
    if (a == b) return 1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(a);
    int kind = PyUnicode_KIND(a);
    return n == PyUnicode_GET_LENGTH(b) && kind == PyUnicode_KIND(b) &&
           memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), (size_t)n * (size_t)kind) == 0;
}

/* The slot of a measure (a ready str) in the table being packed, added after the others when
 * new: the slot holding that very object, else the first holding an equal string. The answer
 * for a key never changes while the table is packed (a slot added later holds another string),
 * so it is kept by the key's address. */
static Py_ssize_t audit_slot(audit_pack *p, audit_table_plan *plan, PyObject *measure) {
    const audit_seen *seen = p->seen.items;
    for (size_t k = 0; k < p->seen.count; k++)
        if (seen[k].key == measure) return seen[k].slot;
    if (PyUnicode_READY(measure) < 0) return -1;
    Py_ssize_t n = PyList_GET_SIZE(p->slot_names), found = -1;
    for (Py_ssize_t i = 0; i < n && found < 0; i++)
        if (PyList_GET_ITEM(p->slot_names, i) == measure) found = i;
    for (Py_ssize_t i = 0; i < n && found < 0; i++)
        if (str_eq(PyList_GET_ITEM(p->slot_names, i), measure)) found = i;
    if (found < 0) {
        arena_text *slot = vec_push(&p->slots, 1);
        if (!slot || arena_str(&p->arena, measure, slot) < 0 || PyList_Append(p->slot_names, measure) < 0) return -1;
        plan->n_slots++;
        found = n;
    }
    audit_seen *memo = vec_push(&p->seen, 1);
    if (!memo) return -1;
    *memo = (audit_seen){Py_NewRef(measure), found};
    return found;
}

typedef struct audit_cell {
    size_t row; /* in the table */
    Py_ssize_t slot;
    uint8_t state;
    int64_t fen;
} audit_cell;

/* What the rules ask of a table's rows, by its kind: the flags not asked for
 * are left out (working them out is most of the cost of packing a row). */
enum {
    NEED_CODES = 1 << 0,   /* function codes (children by code; a unit row is not coded) */
    NEED_UNITS = 1 << 1,   /* unit rows: unit codes, and names that read as a unit */
    NEED_ECON = 1 << 2,    /* economic class headings */
    NEED_SIDES = 1 << 3,   /* 收支总表: sides, names, function classes */
    NEED_PROJECTS = 1 << 4, /* project lists: totals by name, digit names, units, project types */
    NEED_NAMES = 1 << 5,    /* normalised names: a figure's row is found by name (pb_figure.h) */
    NEED_ROW_SIDES = 1 << 6, /* sides: a figure's row is looked for on one side */
    NEED_TOTALS = 1 << 7,   /* total rows' printed names, blank names: a figure is a total */
};

static unsigned audit_needs(pb_audit_text kind) {
    static const struct {
        const char *kind;
        unsigned needs;
    } by_kind[] = {
        {"income", NEED_CODES | NEED_UNITS},
        {"expenditure", NEED_CODES | NEED_UNITS},
        {"general_expenditure", NEED_CODES | NEED_UNITS},
        {"gov_fund_income", NEED_CODES | NEED_UNITS},
        {"gov_fund_expenditure", NEED_CODES | NEED_UNITS},
        {"state_capital", NEED_CODES | NEED_UNITS},
        {"basic_economic", NEED_CODES | NEED_UNITS | NEED_ECON},
        {"economic_summary", NEED_CODES | NEED_UNITS | NEED_ECON},
        {"summary", NEED_SIDES},
        {"fiscal_summary", NEED_SIDES},
        {"projects", NEED_PROJECTS},
        {"projects_carryover", NEED_PROJECTS},
        {"performance_summary", NEED_PROJECTS | NEED_CODES},
        {"operating_costs", NEED_PROJECTS},
        {"three_public", NEED_NAMES}, /* its items found by name (pb_audit_three_public) */
    };
    for (size_t i = 0; i < sizeof by_kind / sizeof *by_kind; i++)
        if (strlen(by_kind[i].kind) == kind.n && memcmp(by_kind[i].kind, kind.s, kind.n) == 0) return by_kind[i].needs;
    return 0; /* only the columns of each row */
}

/* A name's slot in audit_pack.name_slot to start looking from: its length and first and last
 * eight bytes of code units, mixed. */
static size_t name_memo_hash(PyObject *s) {
    size_t n = (size_t)PyUnicode_GET_LENGTH(s) * (size_t)PyUnicode_KIND(s);
    const unsigned char *d = PyUnicode_DATA(s);
    uint64_t h = (uint64_t)n * 0x9E3779B97F4A7C15ull, w = 0;
    if (n >= 8) {
        memcpy(&w, d, 8);
        h ^= w;
        h *= 0xFF51AFD7ED558CCDull;
        memcpy(&w, d + n - 8, 8);
        h ^= w;
    } else {
        for (size_t i = 0; i < n; i++) h = (h ^ d[i]) * 0x100000001B3ull;
    }
    h *= 0xC4CEB9FE1A85EC53ull;
    return (size_t)(h >> 54) % NAME_MEMO_SLOTS;
}

/* Whether a UCS-2 name that holds no character name_odd took is left as it is by pb_norm_name:
 * with no blank and no mark, only its start may be taken off (其中, an enumerator). Says no
 * whenever the start might be one; pb_norm_name then decides. */
static int name_plain_start(const Py_UCS2 *s, size_t len) {
    Py_UCS4 c = s[0];
    if (c == 0x5176 || c == '(' || (c >= 0x2460 && c <= 0x2468) || pb_unicode_digit(c)) return 0;
    if (!pb_unicode_numeral(c)) return 1;
    size_t i = 1;
    while (i < len && pb_unicode_numeral(s[i])) i++;
    return !(i < len && (s[i] == ')' || s[i] == '.' || s[i] == 0xFF09 || s[i] == 0x3001));
}

/* Which high bytes of a UCS-2 code unit may start a character pb_norm_name takes out or changes:
 * the blanks U+1680, U+2000..U+205F and U+3000, the marks “”‘’ (U+2018..U+201D) and ：（） (in
 * U+FF00..U+FF1F); characters below U+0800 are read one by one. */
static int name_odd(Py_UCS2 cp) {
    if (cp < 0x800) return cp <= 0x20 || cp == '"' || cp == ':' || cp >= 0x80;
    switch (cp >> 8) {
    case 0x16: return cp == 0x1680;
    case 0x20: return cp <= 0x206F;
    case 0x30: return cp == 0x3000;
    case 0xFF: return cp <= 0xFF1F;
    default: return 0;
    }
}

/* arena_str of a row name, telling (*plain) when pb_norm_name would leave it as it is: only a
 * UCS-2 name (a name with a CJK character) is looked at, in the pass that encodes it. */
static int arena_name(audit_arena *a, PyObject *s, arena_text *out, uint8_t *plain) {
    *plain = 0;
    if (PyUnicode_READY(s) < 0) return -1;
    size_t len = (size_t)PyUnicode_GET_LENGTH(s);
    if (PyUnicode_KIND(s) != PyUnicode_2BYTE_KIND || len == 0) return arena_str(a, s, out);
    if (len > PY_SSIZE_T_MAX / 4 || arena_reserve(a, len * 3) < 0) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        return -1;
    }
    const Py_UCS2 *d = PyUnicode_2BYTE_DATA(s);
    unsigned char *o = (unsigned char *)a->bytes + a->len;
    size_t n = 0;
    int odd = 0;
    for (size_t i = 0; i < len; i++) {
        Py_UCS2 cp = d[i];
        if (cp >= 0x800 && !name_odd(cp)) {
            o[n] = (unsigned char)(0xE0 | (cp >> 12));
            o[n + 1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            o[n + 2] = (unsigned char)(0x80 | (cp & 0x3F));
            n += 3;
        } else {
            odd |= name_odd(cp);
            n += utf8_put(o + n, cp);
        }
    }
    *plain = !odd && name_plain_start(d, len);
    *out = (arena_text){a->len, n};
    a->len += n;
    return 0;
}

/* The memo's entry of a row name (a str), made (its copy in the arena) when new; scratch holds an
 * entry not kept (the memo full). NULL with an exception. */
static name_memo_entry *audit_name(audit_pack *p, PyObject *name, name_memo_entry *scratch) {
    if (PyUnicode_READY(name) < 0) return NULL;
    size_t at = name_memo_hash(name);
    name_memo_entry *memo = p->name_memo.items;
    for (; p->name_slot[at]; at = (at + 1) % NAME_MEMO_SLOTS) {
        name_memo_entry *e = &memo[p->name_slot[at] - 1];
        if (str_eq(e->name, name)) return e;
    }
    name_memo_entry *e = scratch;
    if (p->name_memo.count < NAME_MEMO_MOST && !(e = vec_push(&p->name_memo, 1))) return NULL;
    *e = (name_memo_entry){NULL, {0, 0}, {0, 0}, 0, 0, -1, {0}}; /* NULL: nothing held until kept */
    if (arena_name(&p->arena, name, &e->raw, &e->plain) < 0) {
        if (e != scratch) p->name_memo.count--;
        return NULL;
    }
    if (e != scratch) {
        e->name = Py_NewRef(name);
        p->name_slot[at] = (uint32_t)p->name_memo.count;
    }
    return e;
}

/* The normal form of a memo's name, worked out once (the copy itself when plain). */
static int audit_name_norm(audit_pack *p, name_memo_entry *e) {
    if (e->normed) return 0;
    if (e->plain) {
        e->norm = e->raw;
    } else {
        if (arena_reserve(&p->arena, e->raw.len) < 0) return -1;
        size_t n = pb_norm_name(p->arena.bytes + e->raw.off, e->raw.len, p->arena.bytes + p->arena.len);
        e->norm = (arena_text){p->arena.len, n};
        p->arena.len += n;
    }
    e->normed = 1;
    return 0;
}

/* One row: flags, texts and cells. department is the table's (UTF-8, may be empty). */
static int audit_pack_row(audit_pack *p, audit_table_plan *plan, PyObject *const *attr, PyObject *row, size_t index,
                          const char *department, size_t department_len, unsigned needs, audit_vec *cells) {
    PyObject *line = NULL, *name = NULL, *code = NULL, *side = NULL, *role = NULL, *fen = NULL, *texts = NULL;
    int rc = -1;
    audit_row_layout(p, row, attr);
    pb_audit_row *out = vec_push(&p->rows, 1);
    audit_row_texts *tx = vec_push(&p->texts, 1);
    if (!out || !tx) return -1;
    memset(out, 0, sizeof *out);
    memset(tx, 0, sizeof *tx);
    if (!(line = audit_row_attr(p, row, attr, A_LINE)) || !(role = audit_row_attr(p, row, attr, A_ROLE)) ||
        !(fen = audit_row_attr(p, row, attr, A_FEN)))
        goto done;
    if (!PyDict_Check(fen)) {
        PyErr_Format(PyExc_TypeError, "row %zu: Row.fen must be a dict", index);
        goto done;
    }
    out->line = PyLong_AsLongLong(line);
    if (out->line == -1 && PyErr_Occurred()) goto done;
    uint32_t flags = 0;
    if (STR_IS(role, "total")) flags |= PB_ROW_TOTAL;
    /* cells: every measure the row carries */
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(fen, &pos, &key, &value)) {
        if (!PyUnicode_Check(key)) {
            PyErr_Format(PyExc_TypeError, "line %lld: Row.fen keys are measure names (str)", (long long)out->line);
            goto done;
        }
        audit_cell *cell = vec_push(cells, 1);
        if (!cell) goto done;
        cell->row = index;
        if ((cell->slot = audit_slot(p, plan, key)) < 0) goto done;
        if (value == Py_None) {
            cell->state = PB_CELL_DASH;
            cell->fen = 0;
            continue;
        }
        int overflow = 0;
        long long v = PyLong_Check(value) ? PyLong_AsLongLongAndOverflow(value, &overflow) : -1;
        if (!PyLong_Check(value) || overflow || (v == -1 && PyErr_Occurred())) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_ValueError, "line %lld: Row.fen amounts are integers in fen within 64 bits",
                             (long long)out->line);
            goto done;
        }
        cell->state = PB_CELL_VALUE;
        cell->fen = v;
        flags |= PB_ROW_FIGURES;
    }
    if (needs & (NEED_CODES | NEED_UNITS | NEED_PROJECTS)) {
        if (!(code = audit_row_attr(p, row, attr, A_CODE))) goto done;
        if (code != Py_None && !PyUnicode_Check(code)) {
            PyErr_Format(PyExc_TypeError, "line %lld: Row.code must be str or None", (long long)out->line);
            goto done;
        }
        if (code != Py_None) {
            if (str_function_code(code)) flags |= PB_ROW_FUNCTION_CODE;
            if (PyUnicode_GET_LENGTH(code) <= 9) flags |= PB_ROW_SHORT_CODE;
            if ((flags & PB_ROW_FUNCTION_CODE) && arena_str(&p->arena, code, &tx->code) < 0) goto done;
        }
    }
    if (needs & (NEED_UNITS | NEED_PROJECTS)) {
        if (!(texts = audit_row_attr(p, row, attr, A_TEXTS))) goto done;
        int unit_code = dict_truthy(texts, attr[A_UNIT_CODE]), project_type = dict_truthy(texts, attr[A_PROJECT_TYPE]);
        if (unit_code < 0 || project_type < 0) goto done;
        if (unit_code) flags |= PB_ROW_UNIT_CODE;
        if (project_type) flags |= PB_ROW_PROJECT_TYPE;
    }
    if (needs & (NEED_SIDES | NEED_ROW_SIDES)) {
        if (!(side = audit_row_attr(p, row, attr, A_SIDE))) goto done;
        if (side == Py_None) out->side = PB_SIDE_NONE;
        else if (STR_IS(side, "income")) out->side = PB_SIDE_INCOME;
        else if (STR_IS(side, "expenditure")) out->side = PB_SIDE_EXPENDITURE;
        else out->side = PB_SIDE_OTHER;
    }
    /* Names: every table with a total row may find it by a blank name (Henan); names are read
     * further in 收支总表, economic and project tables, and for the rows that may be a unit's. */
    int maybe_unit = (needs & NEED_UNITS) && (flags & PB_ROW_FIGURES) &&
                     !(flags & (PB_ROW_FUNCTION_CODE | PB_ROW_TOTAL | PB_ROW_UNIT_CODE));
    if (needs) {
        if (!(name = audit_row_attr(p, row, attr, A_NAME))) goto done;
        if (!PyUnicode_Check(name)) {
            PyErr_Format(PyExc_TypeError, "line %lld: Row.name must be str", (long long)out->line);
            goto done;
        }
        flags |= str_lead_flags(name);
    }
    int want_norm = (needs & (NEED_ECON | NEED_SIDES | NEED_PROJECTS | NEED_NAMES)) || maybe_unit;
    /* a total row's name as printed picks the table's 合计 among several total rows */
    if (needs && ((flags & PB_ROW_TOTAL) || want_norm)) {
        name_memo_entry scratch, *e = audit_name(p, name, &scratch);
        if (!e) goto done;
        tx->name = e->raw;
        if (want_norm) {
            if (audit_name_norm(p, e) < 0) goto done;
            tx->norm = e->norm;
            const char *norm = p->arena.bytes + e->norm.off;
            size_t n = e->norm.len;
            if ((maybe_unit || (needs & NEED_PROJECTS)) && pb_org_name(norm, n, department, department_len))
                flags |= PB_ROW_ORG;
            if ((needs & NEED_ECON) && pb_econ_class_name(norm, n)) flags |= PB_ROW_ECON_CLASS;
            if (needs & NEED_PROJECTS) {
                if (pb_total_name(norm, n)) flags |= PB_ROW_TOTAL_NAME;
                if (utf8_isdigit(norm, n)) flags |= PB_ROW_DIGIT_NAME;
            }
            /* a class row is one of the expenditure side (or no side) and no total: no other row's class is
             * ever read (pb_audit_class_rows) */
            if ((needs & NEED_SIDES) && (out->side == PB_SIDE_EXPENDITURE || out->side == PB_SIDE_NONE) &&
                !(flags & PB_ROW_TOTAL)) {
                if (e->is_class < 0)
                    e->is_class = (int8_t)pb_class_code(p->arena.bytes + e->raw.off, e->raw.len, e->code);
                if (e->is_class) {
                    flags |= PB_ROW_CLASS;
                    memcpy(out->class_code, e->code, 4);
                }
            }
        }
    }
    out->flags = flags;
    rc = 0;
done:
    Py_XDECREF(line);
    Py_XDECREF(name);
    Py_XDECREF(code);
    Py_XDECREF(side);
    Py_XDECREF(role);
    Py_XDECREF(fen);
    Py_XDECREF(texts);
    return rc;
}

/* ---- figure plans (pb_figure.h) --------------------------------------------
 * figure_plan(specs) compiles the ways pybudget/checks/figures.py declares, once:
 * specs is a sequence of specs, each a tuple of ways (how, kind, side, flags,
 * measure, names; the one name of a code or class way is its code).
 * audit_tables follows them over the tables it packs. */
#define FIGURE_PLAN_CAPSULE "pybudget._core.figure_plan"

typedef struct figure_spec {
    size_t first, count; /* ways[first .. first + count) */
} figure_spec;

typedef struct figure_plan {
    size_t n_specs, n_ways;
    size_t n_cells; /* the last specs, whose figures audit_tables gives as plain cells */
    figure_spec *specs;
    pb_figure_way *ways;
    unsigned *way_needs; /* NEED_* each way asks of its table's rows */
    /* The ways' kinds, each once, with what all its ways ask (kind_needs): a table's needs are
     * looked up by kind for every table packed. */
    size_t n_kinds;
    pb_audit_text *kinds;
    unsigned *kind_needs;
    size_t *way_kind; /* each way's kind among kinds */
    pb_audit_text *names;
    char *text; /* every kind, measure and name */
    /* audit_tables' attribute names, interned once with the plan rather than on every call */
    PyObject *attr[A_COUNT];
} figure_plan;

static void figure_plan_free(figure_plan *plan) {
    if (!plan) return;
    PyMem_Free(plan->specs);
    PyMem_Free(plan->ways);
    PyMem_Free(plan->way_needs);
    PyMem_Free(plan->kinds);
    PyMem_Free(plan->kind_needs);
    PyMem_Free(plan->way_kind);
    PyMem_Free(plan->names);
    PyMem_Free(plan->text);
    for (int i = 0; i < A_COUNT; i++) Py_XDECREF(plan->attr[i]);
    PyMem_Free(plan);
}

static void figure_plan_capsule_free(PyObject *capsule) {
    figure_plan_free(PyCapsule_GetPointer(capsule, FIGURE_PLAN_CAPSULE));
}

/* Copies a str's UTF-8 to text + *at (when text is not NULL) and counts its bytes. */
static int plan_text(PyObject *s, char *text, size_t *at, pb_audit_text *out) {
    Py_ssize_t n;
    const char *u = PyUnicode_AsUTF8AndSize(s, &n);
    if (!u) return -1;
    if (text) {
        memcpy(text + *at, u, (size_t)n);
        *out = (pb_audit_text){text + *at, (size_t)n};
    }
    *at += (size_t)n;
    return 0;
}

/* One pass over the specs: counts ways, names and text bytes (plan->text NULL), or fills them. */
static int figure_plan_pass(PyObject *specs, figure_plan *plan, size_t *n_names, size_t *n_text) {
    size_t ways = 0, names = 0, text = 0;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(specs);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *spec = PySequence_Fast_GET_ITEM(specs, i);
        if (!PyTuple_Check(spec)) {
            PyErr_Format(PyExc_TypeError, "figure_plan: spec %zd must be a tuple of ways", i);
            return -1;
        }
        if (plan->text) plan->specs[i] = (figure_spec){ways, (size_t)PyTuple_GET_SIZE(spec)};
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(spec); k++, ways++) {
            int how, side, flags;
            PyObject *kind, *measure, *way_names;
            if (!PyArg_ParseTuple(PyTuple_GET_ITEM(spec, k), "iUiiUO!:way", &how, &kind, &side, &flags, &measure,
                                  &PyTuple_Type, &way_names))
                return -1;
            if (how < PB_WAY_ROW || how > PB_WAY_PROJECT_TOTAL || side < 0 || side > PB_SIDE_ANY || flags < 0 ||
                flags > 255) {
                PyErr_Format(PyExc_ValueError, "figure_plan: spec %zd way %zd: no such way (%d, side %d, flags %d)", i,
                             k, how, side, flags);
                return -1;
            }
            pb_figure_way *w = plan->text ? &plan->ways[ways] : NULL;
            pb_figure_way scratch;
            if (!w) w = &scratch;
            *w = (pb_figure_way){(uint8_t)how, (uint8_t)side, (uint8_t)flags, {NULL, 0}, {NULL, 0}, 0, NULL};
            if (plan_text(kind, plan->text, &text, &w->kind) < 0 || plan_text(measure, plan->text, &text, &w->measure) < 0)
                return -1;
            w->n_names = (size_t)PyTuple_GET_SIZE(way_names);
            if (plan->text) {
                w->names = plan->names + names;
                plan->way_needs[ways] = (how == PB_WAY_ROW ? NEED_NAMES : 0) | (how == PB_WAY_TOTAL ? NEED_TOTALS : 0) |
                                        (how == PB_WAY_CODE ? NEED_CODES : 0) |
                                        (how == PB_WAY_CLASS_ROW ? NEED_SIDES : 0) |
                                        (how == PB_WAY_PROJECT_TOTAL ? NEED_PROJECTS : 0) |
                                        (side != PB_SIDE_ANY ? NEED_ROW_SIDES : 0);
            }
            for (Py_ssize_t m = 0; m < PyTuple_GET_SIZE(way_names); m++, names++) {
                PyObject *name = PyTuple_GET_ITEM(way_names, m);
                if (!PyUnicode_Check(name)) {
                    PyErr_Format(PyExc_TypeError, "figure_plan: spec %zd way %zd: names must be str", i, k);
                    return -1;
                }
                if (plan_text(name, plan->text, &text, plan->text ? &plan->names[names] : NULL) < 0) return -1;
            }
        }
    }
    plan->n_ways = ways;
    *n_names = names;
    *n_text = text;
    return 0;
}

static int text_eq(pb_audit_text a, pb_audit_text b) { return a.n == b.n && (a.n == 0 || memcmp(a.s, b.s, a.n) == 0); }

/* Gathers the ways' kinds, each once, and what all the ways of each ask. */
static void figure_plan_kinds(figure_plan *plan) {
    plan->n_kinds = 0;
    for (size_t w = 0; w < plan->n_ways; w++) {
        size_t k = 0;
        while (k < plan->n_kinds && !text_eq(plan->kinds[k], plan->ways[w].kind)) k++;
        if (k == plan->n_kinds) {
            plan->kinds[k] = plan->ways[w].kind;
            plan->kind_needs[k] = 0;
            plan->n_kinds++;
        }
        plan->kind_needs[k] |= plan->way_needs[w];
        plan->way_kind[w] = k;
    }
}

static PyObject *core_figure_plan(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *specs_arg;
    Py_ssize_t cells = 0;
    if (!PyArg_ParseTuple(args, "O|n:figure_plan", &specs_arg, &cells)) return NULL;
    PyObject *specs = PySequence_Fast(specs_arg, "figure_plan: specs must be a sequence");
    if (!specs) return NULL;
    if (cells < 0 || cells > PySequence_Fast_GET_SIZE(specs)) {
        Py_DECREF(specs);
        PyErr_SetString(PyExc_ValueError, "figure_plan: cells is a number of the specs");
        return NULL;
    }
    figure_plan *plan = PyMem_Calloc(1, sizeof *plan);
    size_t n_names = 0, n_text = 0;
    PyObject *capsule = NULL;
    if (!plan) {
        PyErr_NoMemory();
        goto done;
    }
    if (figure_plan_pass(specs, plan, &n_names, &n_text) < 0) goto done;
    plan->n_specs = (size_t)PySequence_Fast_GET_SIZE(specs);
    plan->n_cells = (size_t)cells;
    plan->specs = PyMem_Calloc(plan->n_specs ? plan->n_specs : 1, sizeof *plan->specs);
    plan->ways = PyMem_Calloc(plan->n_ways ? plan->n_ways : 1, sizeof *plan->ways);
    plan->way_needs = PyMem_Calloc(plan->n_ways ? plan->n_ways : 1, sizeof *plan->way_needs);
    plan->kinds = PyMem_Calloc(plan->n_ways ? plan->n_ways : 1, sizeof *plan->kinds);
    plan->kind_needs = PyMem_Calloc(plan->n_ways ? plan->n_ways : 1, sizeof *plan->kind_needs);
    plan->way_kind = PyMem_Calloc(plan->n_ways ? plan->n_ways : 1, sizeof *plan->way_kind);
    plan->names = PyMem_Calloc(n_names ? n_names : 1, sizeof *plan->names);
    plan->text = PyMem_Malloc(n_text ? n_text : 1);
    if (!plan->specs || !plan->ways || !plan->way_needs || !plan->kinds || !plan->kind_needs || !plan->way_kind ||
        !plan->names || !plan->text) {
        PyErr_NoMemory();
        goto done;
    }
    if (figure_plan_pass(specs, plan, &n_names, &n_text) < 0) goto done;
    figure_plan_kinds(plan);
    for (int i = 0; i < A_COUNT; i++)
        if (!(plan->attr[i] = PyUnicode_InternFromString(audit_attr_names[i]))) goto done;
    capsule = PyCapsule_New(plan, FIGURE_PLAN_CAPSULE, figure_plan_capsule_free);
    if (capsule) plan = NULL; /* the capsule owns it */
done:
    figure_plan_free(plan);
    Py_DECREF(specs);
    return capsule;
}

/* NEED_* the plan's ways ask of the rows of a table of this kind (its UTF-8; a kind holding a
 * lone surrogate matches none: the ways' kinds are valid UTF-8). */
static unsigned figure_plan_needs(const figure_plan *plan, pb_audit_text kind) {
    if (!plan) return 0;
    for (size_t k = 0; k < plan->n_kinds; k++)
        if (text_eq(plan->kinds[k], kind)) return plan->kind_needs[k];
    return 0;
}

/* One table: its rows, its grid of cells and its column equations. */
static int audit_pack_table(audit_pack *p, PyObject *const *attr, PyObject *table, PyObject *measures,
                            PyObject *equations, unsigned needs, const figure_plan *figures) {
    PyObject *kind = NULL, *rows = NULL, *department = NULL, *seq = NULL, *dep_holder = NULL;
    audit_vec *cells = &p->cells;
    cells->count = 0;
    audit_seen_clear(p);
    int rc = -1;
    audit_table_plan *plan = vec_push(&p->plans, 1);
    if (!plan) return -1;
    memset(plan, 0, sizeof *plan);
    if (!(kind = PyObject_GetAttr(table, attr[A_KIND])) || !(rows = PyObject_GetAttr(table, attr[A_ROWS])) ||
        !(department = PyObject_GetAttr(table, attr[A_DEPARTMENT])))
        goto done;
    if (!PyUnicode_Check(kind) || (department != Py_None && !PyUnicode_Check(department))) {
        PyErr_SetString(PyExc_TypeError, "Table.kind must be str and Table.department str or None");
        goto done;
    }
    if (arena_str(&p->arena, kind, &plan->kind) < 0) goto done;
    /* The department for the rows' org test (its UTF-8 kept by the str, or in dep_holder). */
    const char *dep = NULL;
    Py_ssize_t dep_len = 0;
    if (department != Py_None && !(dep = name_utf8(department, &dep_len, &dep_holder))) goto done;
    /* structure.department's reading (audit_structure): the first department named, and whether this
     * table names another */
    if (department != Py_None && PyUnicode_READY(department) < 0) goto done;
    if (department != Py_None && PyUnicode_GET_LENGTH(department)) {
        if (!p->first_department) p->first_department = Py_NewRef(department);
        else plan->names_other = !str_eq(department, p->first_department);
    }
    /* the columns' slots */
    Py_XDECREF(p->slot_names);
    if (!(p->slot_names = PyList_New(0))) goto done;
    plan->first_slot = p->slots.count;
    if (!(seq = PySequence_Fast(measures, "measures must be a sequence"))) goto done;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *m = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyUnicode_Check(m)) {
            PyErr_SetString(PyExc_TypeError, "measures must be str");
            goto done;
        }
        arena_text *slot = vec_push(&p->slots, 1);
        if (!slot || arena_str(&p->arena, m, slot) < 0 || PyList_Append(p->slot_names, m) < 0) goto done;
    }
    plan->n_columns = plan->n_slots = (size_t)PySequence_Fast_GET_SIZE(seq);
    Py_CLEAR(seq);
    /* the rows */
    if (!(seq = PySequence_Fast(rows, "Table.rows must be a sequence"))) goto done;
    plan->first_row = p->rows.count;
    plan->n_rows = (size_t)PySequence_Fast_GET_SIZE(seq);
    if (needs == 0) {
        pb_audit_text kind_utf8 = {p->arena.bytes + plan->kind.off, plan->kind.len}; /* a str's UTF-8 is its own */
        needs = audit_needs(kind_utf8) | figure_plan_needs(figures, kind_utf8);
    }
    plan->needs = needs;
    for (size_t i = 0; i < plan->n_rows; i++)
        if (audit_pack_row(p, plan, attr, PySequence_Fast_GET_ITEM(seq, (Py_ssize_t)i), i, dep, (size_t)dep_len,
                           needs, cells) < 0)
            goto done;
    /* the grid, now that every slot is known */
    if (plan->n_slots && plan->n_rows > PY_SSIZE_T_MAX / plan->n_slots / sizeof(int64_t)) {
        PyErr_NoMemory();
        goto done;
    }
    size_t n_cells = plan->n_rows * plan->n_slots;
    plan->first_cell = p->state.count;
    uint8_t *state = n_cells ? vec_push(&p->state, n_cells) : NULL;
    int64_t *fen = n_cells ? vec_push(&p->fen, n_cells) : NULL;
    if (n_cells && (!state || !fen)) goto done;
    if (n_cells) {
        memset(state, PB_CELL_BLANK, n_cells);
        memset(fen, 0, n_cells * sizeof *fen);
    }
    const audit_cell *c = cells->items;
    for (size_t k = 0; k < cells->count; k++) {
        size_t at = c[k].row * plan->n_slots + (size_t)c[k].slot;
        if (state[at] != PB_CELL_BLANK) continue; /* the same measure twice: dict keys are unique, so never */
        state[at] = c[k].state;
        fen[at] = c[k].fen;
    }
    /* the equations: (lhs, (parts…)) by measure name */
    plan->first_eq = p->lhs.count;
    plan->first_start = p->part_start.count;
    Py_CLEAR(seq);
    if (!(seq = PySequence_Fast(equations, "equations must be a sequence"))) goto done;
    for (Py_ssize_t e = 0; e < PySequence_Fast_GET_SIZE(seq); e++) {
        PyObject *lhs, *parts, *eq = PySequence_Fast_GET_ITEM(seq, e);
        if (PyTuple_Check(eq) && PyTuple_GET_SIZE(eq) == 2 && PyUnicode_Check(PyTuple_GET_ITEM(eq, 0)) &&
            PyTuple_Check(PyTuple_GET_ITEM(eq, 1))) { /* what "UO!" takes, without parsing the format */
            lhs = PyTuple_GET_ITEM(eq, 0);
            parts = PyTuple_GET_ITEM(eq, 1);
        } else if (!PyArg_ParseTuple(eq, "UO!:equation", &lhs, &PyTuple_Type, &parts)) {
            goto done;
        }
        Py_ssize_t slot = -1, n_slots = PyList_GET_SIZE(p->slot_names);
        if (PyUnicode_READY(lhs) < 0) goto done;
        for (Py_ssize_t s = 0; s < n_slots && slot < 0; s++)
            if (str_eq(PyList_GET_ITEM(p->slot_names, s), lhs)) slot = s;
        uint32_t *l = vec_push(&p->lhs, 1), *start = vec_push(&p->part_start, 1);
        if (!l || !start) goto done;
        *l = slot < 0 ? UINT32_MAX : (uint32_t)slot;
        *start = (uint32_t)p->parts.count;
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(parts); k++) {
            PyObject *part = PyTuple_GET_ITEM(parts, k);
            if (PyUnicode_Check(part) && PyUnicode_READY(part) < 0) goto done;
            for (Py_ssize_t s = 0; s < n_slots; s++)
                if (PyUnicode_Check(part) && str_eq(PyList_GET_ITEM(p->slot_names, s), part)) {
                    uint32_t *at = vec_push(&p->parts, 1);
                    if (!at) goto done;
                    *at = (uint32_t)s;
                    break; /* a part no slot holds is blank in every row: it adds nothing */
                }
        }
        plan->n_eqs++;
    }
    uint32_t *end = vec_push(&p->part_start, 1);
    if (!end) goto done;
    *end = (uint32_t)p->parts.count;
    rc = 0;
done:
    audit_seen_clear(p);
    Py_XDECREF(seq);
    Py_XDECREF(kind);
    Py_XDECREF(rows);
    Py_XDECREF(department);
    Py_XDECREF(dep_holder);
    return rc;
}

/* A tuple of n new references, taken over (Py_BuildValue's "N", without parsing a format per
 * tuple); NULL with the exception when any is NULL, the others released. */
static PyObject *tuple_of(Py_ssize_t n, PyObject *const *items) {
    PyObject *t = NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        if (!items[i]) goto fail;
    if (!(t = PyTuple_New(n))) goto fail;
    for (Py_ssize_t i = 0; i < n; i++) PyTuple_SET_ITEM(t, i, items[i]);
    return t;
fail:
    for (Py_ssize_t i = 0; i < n; i++) Py_XDECREF(items[i]);
    return NULL;
}

static PyObject *audit_diff_tuple(const pb_audit_result *r, const pb_audit_diff *d) {
    PyObject *kids = PyTuple_New((Py_ssize_t)d->count);
    if (!kids) return NULL;
    for (uint32_t k = 0; k < d->count; k++) {
        PyObject *i = PyLong_FromUnsignedLong(r->children[d->first + k]);
        if (!i) {
            Py_DECREF(kids);
            return NULL;
        }
        PyTuple_SET_ITEM(kids, k, i);
    }
    PyObject *items[] = {PyLong_FromUnsignedLong(d->table), PyLong_FromUnsignedLong(d->what),
                         PyLong_FromUnsignedLong(d->parent), PyLong_FromUnsignedLong(d->index), kids};
    return tuple_of(5, items);
}

static void audit_pack_init(audit_pack *pack) {
    memset(pack, 0, sizeof *pack);
    pack->plans.size = sizeof(audit_table_plan);
    pack->rows.size = sizeof(pb_audit_row);
    pack->texts.size = sizeof(audit_row_texts);
    pack->slots.size = sizeof(arena_text);
    pack->state.size = sizeof(uint8_t);
    pack->fen.size = sizeof(int64_t);
    pack->lhs.size = pack->part_start.size = pack->parts.size = sizeof(uint32_t);
    pack->seen.size = sizeof(audit_seen);
    pack->cells.size = sizeof(audit_cell);
    pack->classes.size = sizeof(uint32_t);
    pack->name_memo.size = sizeof(name_memo_entry);
    pack->forms.size = sizeof(audit_form);
}

/* Re-raises the current exception with the table's index in front. */
static void audit_name_table(Py_ssize_t index) {
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    PyErr_Format(type ? type : PyExc_ValueError, "table %zd: %S", index, value ? value : Py_None);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
}

/* The packed tables, once the arena no longer moves (texts become pointers);
 * *slots_out holds the slot texts they point to. NULL with an exception. */
/* The forms of cross.performance_vs_projects (cross_rules.performance_forms): each project that is not
 * the department's overall form and has a 年度资金总额. 1 when read; 0 when one is not as the rule
 * reads it (an attribute missing or of another type, a name that is no str, a 年度资金总额 that is no
 * int within 64 bits): the rule, run in Python, then says so as it always did; -1 with an exception. */
static int audit_target_forms(audit_pack *p, PyObject *projects, PyObject *const *attr) {
    PyObject *seq = PySequence_Fast(projects, "projects must be a sequence");
    if (!seq) return -1;
    int rc = 1;
    for (Py_ssize_t i = 0; rc == 1 && i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *project = PySequence_Fast_GET_ITEM(seq, i), *overall = NULL, *funds = NULL, *name = NULL;
        int whole = -1;
        if (!(overall = PyObject_GetAttr(project, attr[A_OVERALL])) || (whole = PyObject_IsTrue(overall)) < 0 ||
            (!whole && !(funds = PyObject_GetAttr(project, attr[A_FUNDS_FEN])))) {
            rc = -1;
        } else if (!whole) {
            PyObject *annual = PyDict_Check(funds) ? PyDict_GetItemWithError(funds, attr[A_ANNUAL_TOTAL]) : NULL;
            if (!PyDict_Check(funds) || (!annual && PyErr_Occurred())) {
                rc = PyErr_Occurred() ? -1 : 0;
            } else if (annual && annual != Py_None) {
                int overflow = 0;
                long long fen = PyLong_Check(annual) ? PyLong_AsLongLongAndOverflow(annual, &overflow) : 0;
                audit_form *form = NULL;
                if (fen == -1 && PyErr_Occurred()) rc = -1;
                else if (!PyLong_Check(annual) || overflow) rc = 0;
                else if (!(name = PyObject_GetAttr(project, attr[A_NAME]))) rc = -1;
                else if (!PyUnicode_Check(name)) rc = 0;
                else if (!(form = vec_push(&p->forms, 1)) || arena_str(&p->arena, name, &form->name) < 0) rc = -1;
                else form->fen = (int64_t)fen;
            }
        }
        Py_XDECREF(overall);
        Py_XDECREF(funds);
        Py_XDECREF(name);
        if (rc < 0 && (PyErr_ExceptionMatches(PyExc_AttributeError) || PyErr_ExceptionMatches(PyExc_TypeError))) {
            PyErr_Clear(); /* a project the rule reads itself, and fails on as it always did */
            rc = 0;
        }
    }
    Py_DECREF(seq);
    return rc;
}

static pb_audit_table *audit_pack_resolve(audit_pack *pack, pb_audit_text **slots_out) {
    pb_audit_row *rows = pack->rows.items;
    const audit_row_texts *texts = pack->texts.items;
    for (size_t i = 0; i < pack->rows.count; i++) {
        rows[i].name = arena_resolve(&pack->arena, texts[i].name);
        rows[i].norm = arena_resolve(&pack->arena, texts[i].norm);
        rows[i].code = arena_resolve(&pack->arena, texts[i].code);
    }
    size_t n = pack->plans.count;
    pb_audit_text *slots = PyMem_Calloc(pack->slots.count ? pack->slots.count : 1, sizeof *slots);
    pb_audit_table *packed = PyMem_Calloc(n ? n : 1, sizeof *packed);
    if (!slots || !packed) {
        PyMem_Free(slots);
        PyMem_Free(packed);
        PyErr_NoMemory();
        return NULL;
    }
    const arena_text *slot_texts = pack->slots.items;
    for (size_t i = 0; i < pack->slots.count; i++) slots[i] = arena_resolve(&pack->arena, slot_texts[i]);
    const audit_table_plan *plan = pack->plans.items;
    for (size_t i = 0; i < n; i++) {
        const audit_table_plan *pl = &plan[i];
        packed[i] = (pb_audit_table){
            .kind = arena_resolve(&pack->arena, pl->kind),
            .n_rows = pl->n_rows,
            .rows = rows ? rows + pl->first_row : NULL,
            .n_columns = pl->n_columns,
            .n_slots = pl->n_slots,
            .slots = slots + pl->first_slot,
            .state = pack->state.items ? (const uint8_t *)pack->state.items + pl->first_cell : NULL,
            .fen = pack->fen.items ? (const int64_t *)pack->fen.items + pl->first_cell : NULL,
            .n_equations = pl->n_eqs,
            .lhs = pack->lhs.items ? (const uint32_t *)pack->lhs.items + pl->first_eq : NULL,
            .part_start = (const uint32_t *)pack->part_start.items + pl->first_start,
            .parts = pack->parts.items,
            .step_fen = pl->step_fen,
        };
    }
    /* The class rows, once per table: only a table packed for its sides has any (no other row is
     * given a class). */
    static const uint32_t none[1] = {0};
    uint32_t *classes = pack->rows.count ? vec_push(&pack->classes, pack->rows.count) : NULL;
    if (pack->rows.count && !classes) {
        PyMem_Free(slots);
        PyMem_Free(packed);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (!(plan[i].needs & NEED_SIDES) || !classes) {
            packed[i].class_rows = none;
            continue;
        }
        uint32_t *mine = classes + plan[i].first_row;
        packed[i].n_class_rows = pb_audit_class_rows(&packed[i], mine);
        packed[i].class_rows = mine;
    }
    *slots_out = slots;
    return packed;
}

static PyObject *index_list(const uint32_t *items, size_t n) {
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t k = 0; list && k < n; k++) {
        PyObject *i = PyLong_FromUnsignedLong(items[k]);
        if (!i) Py_CLEAR(list);
        else PyList_SET_ITEM(list, (Py_ssize_t)k, i);
    }
    return list;
}

/* One packed table's project list: (top, units, unit_starts, leaves); scratch holds 3 × (n_rows + 1). */
static PyObject *project_list_tuple(const pb_audit_table *t, uint32_t *scratch) {
    size_t n = t->n_rows;
    pb_project_list pl;
    pb_audit_project_list(t, scratch, scratch + (n + 1), scratch + 2 * (n + 1), &pl);
    PyObject *items[] = {PyLong_FromLong(pl.top), index_list(pl.units, pl.n_units),
                         index_list(pl.unit_starts, pl.n_units), index_list(pl.leaves, pl.n_leaves)};
    return tuple_of(4, items);
}

/* A NUL-terminated class code as a str (PyUnicode_FromString), made directly when it is ASCII (a
 * code is digits) rather than decoded. */
static PyObject *ascii_str(const char *s) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return PyUnicode_FromStringAndSize(s, (Py_ssize_t)n);
    PyObject *u = PyUnicode_New((Py_ssize_t)n, 127);
    if (u && n) memcpy(PyUnicode_1BYTE_DATA(u), s, n);
    return u;
}

/* One packed table's function-class rows: [(class code, row)]; scratch holds n_rows + 1. */
static PyObject *class_rows_list(const pb_audit_table *t, uint32_t *scratch) {
    size_t m = pb_audit_class_rows(t, scratch);
    PyObject *result = PyList_New((Py_ssize_t)m);
    for (size_t k = 0; result && k < m; k++) {
        PyObject *items[] = {ascii_str(t->rows[scratch[k]].class_code), PyLong_FromUnsignedLong(scratch[k])};
        PyObject *pair = tuple_of(2, items);
        if (!pair) Py_CLEAR(result);
        else PyList_SET_ITEM(result, (Py_ssize_t)k, pair);
    }
    return result;
}

/* lookup.table_has_figures of a packed table: some row prints an amount. */
static int audit_has_figures(const audit_pack *p, const audit_table_plan *plan) {
    const pb_audit_row *rows = (const pb_audit_row *)p->rows.items + plan->first_row;
    for (size_t i = 0; i < plan->n_rows; i++)
        if (rows[i].flags & PB_ROW_FIGURES) return 1;
    return 0;
}

/* The rounding step per item in 分: one unit of the last of `decimals` printed digits of a unit
 * worth unit_fen 分 (truncated to whole 分, as table_rules' int() does), times the tolerance's
 * units, and no more than 2**63 (a step that allows every sum of 64-bit amounts). */
static uint64_t audit_step(uint64_t unit_fen, int decimals, uint64_t units) {
    const uint64_t cap = (uint64_t)1 << 63;
    uint64_t res = unit_fen;
    for (int d = 0; d < decimals && res; d++) res /= 10;
    for (int d = 0; d > decimals && res && res < cap; d--) res = res > cap / 10 ? cap : res * 10;
    if (res == 0 || units == 0) return 0;
    return units > cap / res ? cap : res * units;
}

/* The power of ten of 元 that one unit of the last of `decimals` printed digits of a unit worth unit_fen
 * 分 is (lookup.table_resolution, as core_pass._power_of_ten reads it), or AUDIT_NO_POWER. */
static int audit_res_pow(uint64_t unit_fen, int decimals) {
    if (unit_fen == 0) return AUDIT_NO_POWER;
    long long k = -2;
    for (; unit_fen % 10 == 0; unit_fen /= 10) k++;
    if (unit_fen != 1) return AUDIT_NO_POWER;
    k -= decimals;
    return k < -100 || k > 100 ? AUDIT_NO_POWER : (int)k;
}

/* The figure of each spec: None when not printed, False when Python must find it, else
 * (table, row, fen), with row -1 for a table that prints no amount (its figure is 0). */
/* found[k]'s cell: its amount in 分 (0 for a table printing none), None (not printed), False (Python finds it). */
static PyObject *figure_cell(const pb_found_figure *f) {
    switch (f->state) {
    case PB_FIGURE_CELL: return PyLong_FromLongLong(f->fen);
    case PB_FIGURE_EMPTY_TABLE: return PyLong_FromLong(0);
    case PB_FIGURE_PYTHON: return Py_NewRef(Py_False);
    default: return Py_NewRef(Py_None);
    }
}

static PyObject *cells_list(const pb_found_figure *found, size_t n) {
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t k = 0; list && k < n; k++) {
        PyObject *cell = figure_cell(&found[k]);
        if (!cell) Py_CLEAR(list);
        else PyList_SET_ITEM(list, (Py_ssize_t)k, cell);
    }
    return list;
}

static PyObject *figures_list(const pb_found_figure *found, size_t n) {
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t k = 0; list && k < n; k++) {
        PyObject *item;
        switch (found[k].state) {
        case PB_FIGURE_CELL:
        case PB_FIGURE_EMPTY_TABLE: {
            int cell = found[k].state == PB_FIGURE_CELL;
            PyObject *items[] = {PyLong_FromUnsignedLong(found[k].table),
                                 cell ? PyLong_FromUnsignedLong(found[k].row) : PyLong_FromLong(-1),
                                 PyLong_FromLongLong(cell ? found[k].fen : 0), PyLong_FromUnsignedLong(found[k].way)};
            item = tuple_of(4, items);
            break;
        }
        case PB_FIGURE_PYTHON:
            item = Py_NewRef(Py_False);
            break;
        default:
            item = Py_NewRef(Py_None);
        }
        if (!item) Py_CLEAR(list);
        else PyList_SET_ITEM(list, (Py_ssize_t)k, item);
    }
    return list;
}

/* A total row as lookup.total_row gives it: its index, -1 for none, None where
 * the pack did not read what finding it takes. */
static PyObject *total_row_index(const pb_audit_table *t, uint8_t side, int known) {
    if (!known) Py_RETURN_NONE;
    return PyLong_FromLong(pb_audit_total_row(t, side));
}

/* Each table's total rows (any side, the income side, the expenditure side) as
 * lookup.total_row finds them, worked out from the packed rows: None for a table
 * packed without its names. A side's total needs every row's side and
 * normalised name (the 收支总表s'); any side's the total rows' printed names and
 * the blank names, which every table packed with names has. */
static PyObject *audit_total_rows(const audit_pack *pack, const pb_audit_table *packed, Py_ssize_t n) {
    PyObject *all = PyTuple_New(n);
    if (!all) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned needs = ((const audit_table_plan *)pack->plans.items)[i].needs;
        PyObject *rows;
        if (!needs) {
            rows = Py_NewRef(Py_None);
        } else {
            int sides = (needs & (NEED_SIDES | NEED_ROW_SIDES)) &&
                        (needs & (NEED_SIDES | NEED_ECON | NEED_PROJECTS | NEED_NAMES));
            PyObject *items[] = {total_row_index(&packed[i], PB_SIDE_ANY, 1),
                                 total_row_index(&packed[i], PB_SIDE_INCOME, sides),
                                 total_row_index(&packed[i], PB_SIDE_EXPENDITURE, sides)};
            rows = tuple_of(3, items);
        }
        if (!rows) {
            Py_DECREF(all);
            return NULL;
        }
        PyTuple_SET_ITEM(all, i, rows);
    }
    return all;
}

/* A table's plan (measures, equations, unit_fen, decimals) as PyArg_ParseTuple's "OOKi" reads it,
 * read here when plainly a tuple of four with ints in range; any other is left to PyArg_ParseTuple
 * (and its errors). 1, or 0 with an exception. */
static int audit_plan_args(PyObject *plan, PyObject **measures, PyObject **equations, unsigned long long *unit_fen,
                           int *decimals) {
    if (PyTuple_CheckExact(plan) && PyTuple_GET_SIZE(plan) == 4 && PyLong_CheckExact(PyTuple_GET_ITEM(plan, 2)) &&
        PyLong_CheckExact(PyTuple_GET_ITEM(plan, 3))) {
        int overflow = 0;
        long d = PyLong_AsLongAndOverflow(PyTuple_GET_ITEM(plan, 3), &overflow);
        if (!overflow && d >= INT_MIN && d <= INT_MAX) {
            *measures = PyTuple_GET_ITEM(plan, 0);
            *equations = PyTuple_GET_ITEM(plan, 1);
            *unit_fen = PyLong_AsUnsignedLongLongMask(PyTuple_GET_ITEM(plan, 2)); /* "K": no overflow test */
            *decimals = (int)d;
            return 1;
        }
    }
    return PyArg_ParseTuple(plan, "OOKi:plan", measures, equations, unit_fen, decimals);
}

/* The table of each of the plan's ways (pb_figure_find_in), its kind looked up once, and the code
 * index (pb_audit_table.code_rows, kept in *slots_out) of each table a code way reads. */
static int audit_figure_tables(const figure_plan *plan, pb_audit_table *packed, size_t n, int32_t **way_tables_out,
                               uint32_t **slots_out) {
    int32_t *kind_table = PyMem_Malloc((plan->n_kinds ? plan->n_kinds : 1) * sizeof *kind_table);
    int32_t *way_tables = PyMem_Malloc((plan->n_ways ? plan->n_ways : 1) * sizeof *way_tables);
    uint8_t *coded = PyMem_Calloc(n ? n : 1, 1);
    uint32_t *slots = NULL;
    int rc = -1;
    if (!kind_table || !way_tables || !coded || n > INT32_MAX) {
        PyErr_NoMemory();
        goto done;
    }
    for (size_t k = 0; k < plan->n_kinds; k++) {
        kind_table[k] = -1;
        for (size_t i = 0; i < n && kind_table[k] < 0; i++)
            if (text_eq(packed[i].kind, plan->kinds[k])) kind_table[k] = (int32_t)i;
    }
    size_t total = 0;
    for (size_t w = 0; w < plan->n_ways; w++) {
        int32_t t = way_tables[w] = kind_table[plan->way_kind[w]];
        if (plan->ways[w].how != PB_WAY_CODE || t < 0 || coded[t]) continue;
        coded[t] = 1;
        total += packed[t].n_rows; /* the rows of tables packed, so no overflow */
    }
    if (total && !(slots = PyMem_Malloc(total * sizeof *slots))) {
        PyErr_NoMemory();
        goto done;
    }
    for (size_t i = 0, at = 0; i < n && slots; i++) {
        if (!coded[i]) continue;
        size_t count = pb_figure_index_codes(&packed[i], slots + at);
        if (count != SIZE_MAX) {
            packed[i].code_rows = slots + at;
            packed[i].n_code_rows = count;
        }
        at += packed[i].n_rows;
    }
    *way_tables_out = way_tables;
    *slots_out = slots;
    way_tables = NULL;
    slots = NULL;
    rc = 0;
done:
    PyMem_Free(kind_table);
    PyMem_Free(way_tables);
    PyMem_Free(coded);
    PyMem_Free(slots);
    return rc;
}

/* A table's (plan, measure set) from plans by key (kind, its columns' measures, unit, decimals), the
 * key core_pass._plan_of is cached by; plan_of(kind, measures, unit, decimals) gives the pair when
 * the dict holds none. The attributes are read in _plans' order, so a table lacking one raises as it
 * did there. A new reference, NULL with an exception. */
static PyObject *audit_plan_by_key(audit_pack *p, PyObject *const *attr, PyObject *table, PyObject *plans,
                                   PyObject *plan_of) {
    PyObject *kind = NULL, *columns = NULL, *measures = NULL, *unit = NULL, *decimals = NULL, *key = NULL,
             *got = NULL;
    if (!(kind = PyObject_GetAttr(table, attr[A_KIND])) || !(columns = PyObject_GetAttr(table, attr[A_COLUMNS])))
        goto done;
    /* tuple(map(attrgetter("measure"), columns)), over a tuple of the columns: a measure read by name may
     * run code that changes the list */
    Py_SETREF(columns, PySequence_Tuple(columns));
    if (!columns || !(measures = PyTuple_New(PyTuple_GET_SIZE(columns)))) goto done;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(columns); i++) {
        PyObject *column = PyTuple_GET_ITEM(columns, i), *measure = NULL;
        if (Py_TYPE(column) != p->column_type) { /* a Column: a slots dataclass, read by offset */
            Py_XSETREF(p->column_type, (PyTypeObject *)Py_NewRef(Py_TYPE(column)));
            p->measure_offset = object_slot_offset(p->column_type, attr[A_MEASURE]);
        }
        if (p->measure_offset >= 0) measure = Py_XNewRef(*(PyObject **)((char *)column + p->measure_offset));
        if (!measure && !(measure = PyObject_GetAttr(column, attr[A_MEASURE]))) goto done;
        PyTuple_SET_ITEM(measures, i, measure);
    }
    if (!(unit = PyObject_GetAttr(table, attr[A_UNIT])) || !(decimals = PyObject_GetAttr(table, attr[A_DECIMALS])) ||
        !(key = PyTuple_Pack(4, kind, measures, unit, decimals)))
        goto done;
    if ((got = PyDict_GetItemWithError(plans, key))) Py_INCREF(got);
    else if (!PyErr_Occurred()) got = PyObject_CallFunctionObjArgs(plan_of, kind, measures, unit, decimals, NULL);
    if (got && !(PyTuple_Check(got) && PyTuple_GET_SIZE(got) == 2 && PyTuple_Check(PyTuple_GET_ITEM(got, 0)))) {
        PyErr_SetString(PyExc_TypeError, "audit_tables: a plan by key is (plan, measure set)");
        Py_CLEAR(got);
    }
done:
    Py_XDECREF(kind);
    Py_XDECREF(columns);
    Py_XDECREF(measures);
    Py_XDECREF(unit);
    Py_XDECREF(decimals);
    Py_XDECREF(key);
    return got;
}

/* The year a table title names as structure_rules._title_year finds it, ((?:19|20)\d{2})\s*年 with
 * the \d and \s of a str pattern (Py_UNICODE_ISDECIMAL, Py_UNICODE_ISSPACE), as int() reads the
 * digits; -1 for none. `title` is a ready str. */
static long audit_title_year(PyObject *title) {
    int kind = PyUnicode_KIND(title);
    if (kind == PyUnicode_1BYTE_KIND) return -1; /* 年 is past U+00FF */
    const void *data = PyUnicode_DATA(title);
    Py_ssize_t n = PyUnicode_GET_LENGTH(title);
    for (Py_ssize_t i = 0; i + 4 < n; i++) { /* the first match, as re.search */
        Py_UCS4 a = PyUnicode_READ(kind, data, i), b = PyUnicode_READ(kind, data, i + 1);
        if (!((a == '1' && b == '9') || (a == '2' && b == '0'))) continue;
        Py_UCS4 c = PyUnicode_READ(kind, data, i + 2), d = PyUnicode_READ(kind, data, i + 3);
        if (!Py_UNICODE_ISDECIMAL(c) || !Py_UNICODE_ISDECIMAL(d)) continue;
        Py_ssize_t j = i + 4;
        while (j < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, j))) j++;
        if (j < n && PyUnicode_READ(kind, data, j) == 0x5E74) /* 年 */
            return (long)(a - '0') * 1000 + (long)(b - '0') * 100 + Py_UNICODE_TODECIMAL(c) * 10L +
                   Py_UNICODE_TODECIMAL(d);
    }
    return -1;
}

/* The tables' title years for the structure rules: each title's (audit_title_year) as an int, None for
 * a title naming none or a None title; None for the lot when some title is neither str nor None or
 * cannot be read (structure.title_year reads the titles itself, and raises as it always did). */
static PyObject *audit_title_years(PyObject *tables, PyObject *const *attr, Py_ssize_t n) {
    PyObject *years = PyTuple_New(n);
    for (Py_ssize_t i = 0; years && i < n; i++) {
        PyObject *title = PyObject_GetAttr(PySequence_Fast_GET_ITEM(tables, i), attr[A_TITLE]), *year = NULL;
        if (!title) {
            Py_CLEAR(years);
            if (!PyErr_ExceptionMatches(PyExc_AttributeError)) return NULL;
            PyErr_Clear();
            break;
        }
        if (title == Py_None) {
            year = Py_NewRef(Py_None);
        } else if (PyUnicode_Check(title)) {
            long y = PyUnicode_READY(title) < 0 ? -2 : audit_title_year(title);
            year = y == -2 ? NULL : y < 0 ? Py_NewRef(Py_None) : PyLong_FromLong(y);
        } else {
            Py_DECREF(title);
            Py_CLEAR(years);
            break;
        }
        Py_DECREF(title);
        if (!year) Py_CLEAR(years);
        else PyTuple_SET_ITEM(years, i, year);
    }
    if (!years && !PyErr_Occurred()) Py_RETURN_NONE;
    return years;
}

/* What the structure rules ask of every table (structure_rules.py), read in the pass: the year each
 * title names (audit_title_years); the tables that print no amount; the first department a table
 * names and the later tables naming another, as (first or None, (index…)), as the tables were packed.
 * A new reference, NULL with an exception. */
static PyObject *audit_structure(const audit_pack *pack, PyObject *tables, PyObject *const *attr, Py_ssize_t n) {
    const audit_table_plan *plans = pack->plans.items;
    PyObject *years = NULL, *bare = NULL, *others = NULL, *named = NULL, *result = NULL;
    Py_ssize_t n_bare = 0, n_others = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        n_bare += !plans[i].has_figures;
        n_others += plans[i].names_other;
    }
    if (!(years = audit_title_years(tables, attr, n)) || !(bare = PyTuple_New(n_bare)) ||
        !(others = PyTuple_New(n_others)))
        goto done;
    for (Py_ssize_t i = 0, b = 0, o = 0; i < n; i++) {
        if (plans[i].has_figures && !plans[i].names_other) continue;
        PyObject *index = PyLong_FromSsize_t(i);
        if (!index) goto done;
        if (!plans[i].has_figures) PyTuple_SET_ITEM(bare, b++, Py_NewRef(index));
        if (plans[i].names_other) PyTuple_SET_ITEM(others, o++, Py_NewRef(index));
        Py_DECREF(index);
    }
    PyObject *items[] = {Py_NewRef(pack->first_department ? pack->first_department : Py_None), Py_NewRef(others)};
    if (!(named = tuple_of(2, items))) goto done;
    PyObject *parts[] = {Py_NewRef(years), Py_NewRef(bare), Py_NewRef(named)};
    result = tuple_of(3, parts);
done:
    Py_XDECREF(years);
    Py_XDECREF(bare);
    Py_XDECREF(others);
    Py_XDECREF(named);
    return result;
}

/* How many keys audit_tables' memo_keys holds (lookup.PASS_KEYS). */
#define AUDIT_MEMO_KEYS 8

/* Each table's entries for its memo in this check run (lookup.share_pass), keyed by memo_keys: whether it
 * prints any amount, its measures and their set (from its plan), each total row the pass found (any
 * side, income, expenditure: rows[i], None for none), its project list or class rows. */
static PyObject *audit_memo_entries(const audit_pack *pack, PyObject *tables, PyObject *const *attr, PyObject *pairs,
                                    PyObject *lookups, PyObject *total_rows, PyObject *keys, Py_ssize_t n) {
    const audit_table_plan *plans = pack->plans.items;
    PyObject *all = PyList_New(n);
    for (Py_ssize_t i = 0; all && i < n; i++) {
        PyObject *entries = PyDict_New(), *rows = NULL;
        if (!entries) goto fail;
        PyList_SET_ITEM(all, i, entries);
        PyObject *pair = PyList_GET_ITEM(pairs, i), *totals = PyTuple_GET_ITEM(total_rows, i);
        PyObject *got = PyList_GET_ITEM(lookups, i);
        if (PyDict_SetItem(entries, PyTuple_GET_ITEM(keys, 0), plans[i].has_figures ? Py_True : Py_False) < 0 ||
            PyDict_SetItem(entries, PyTuple_GET_ITEM(keys, 1), PyTuple_GET_ITEM(PyTuple_GET_ITEM(pair, 0), 0)) < 0 ||
            PyDict_SetItem(entries, PyTuple_GET_ITEM(keys, 2), PyTuple_GET_ITEM(pair, 1)) < 0 ||
            (got != Py_None &&
             PyDict_SetItem(entries, PyTuple_GET_ITEM(keys, plans[i].needs & NEED_PROJECTS ? 6 : 7), got) < 0))
            goto fail;
        for (Py_ssize_t side = 0; totals != Py_None && side < 3; side++) {
            PyObject *index = PyTuple_GET_ITEM(totals, side), *row;
            if (index == Py_None) continue;
            Py_ssize_t at = PyLong_AsSsize_t(index);
            if (at < 0) {
                row = Py_NewRef(Py_None);
            } else if (!rows && !(rows = PyObject_GetAttr(PySequence_Fast_GET_ITEM(tables, i), attr[A_ROWS]))) {
                goto fail;
            } else if (!(row = PySequence_GetItem(rows, at))) {
                Py_DECREF(rows);
                goto fail;
            }
            int rc = PyDict_SetItem(entries, PyTuple_GET_ITEM(keys, 3 + side), row);
            Py_DECREF(row);
            if (rc < 0) {
                Py_XDECREF(rows);
                goto fail;
            }
        }
        Py_XDECREF(rows);
    }
    return all;
fail:
    Py_XDECREF(all);
    return NULL;
}

static PyObject *core_audit_tables(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *tables, *plans, *figure_arg = Py_None, *plan_of = Py_None, *memo_keys = Py_None, *projects = Py_None,
             *attr[A_COUNT] = {NULL}, *seq = NULL, *plan_seq = NULL, *result = NULL;
    const figure_plan *figures = NULL;
    pb_found_figure *found_figures = NULL;
    int32_t *way_tables = NULL;
    uint32_t *code_slots = NULL;
    uint8_t code_blocks[PB_CROSS_BLOCKS] = {0};
    int three_public = 0, targets = 0;
    uint64_t *half_steps = NULL;
    pb_target_form *forms = NULL;
    audit_pack pack;
    audit_pack_init(&pack);
    pb_audit_table *packed = NULL;
    pb_audit_text *slots = NULL;
    pb_audit_result found;
    pb_audit_result_init(&found, NULL);
    PyObject *units_arg;
    if (!PyArg_ParseTuple(args, "OOO|OOOO:audit_tables", &tables, &plans, &units_arg, &figure_arg, &plan_of,
                          &memo_keys, &projects))
        return NULL;
    if (figure_arg != Py_None && !(figures = PyCapsule_GetPointer(figure_arg, FIGURE_PLAN_CAPSULE))) return NULL;
    /* plans by key (a dict) are looked up here, with plan_of for the ones it lacks */
    int by_key = PyDict_Check(plans);
    if (by_key && !PyCallable_Check(plan_of)) {
        PyErr_SetString(PyExc_TypeError, "audit_tables: plans by key need plan_of");
        return NULL;
    }
    if (memo_keys != Py_None &&
        (!by_key || !PyTuple_CheckExact(memo_keys) || PyTuple_GET_SIZE(memo_keys) != AUDIT_MEMO_KEYS)) {
        PyErr_SetString(PyExc_TypeError, "audit_tables: memo_keys is a tuple of 8 keys, with plans by key");
        return NULL;
    }
    /* tolerance units per item: any int >= 0 (a step past 2**63 allows every sum a table can print) */
    int overflow = 0;
    long long units_value = PyLong_Check(units_arg) ? PyLong_AsLongLongAndOverflow(units_arg, &overflow) : -1;
    if (units_value == -1 && PyErr_Occurred()) return NULL;
    if (!PyLong_Check(units_arg) || overflow < 0 || (overflow == 0 && units_value < 0)) {
        PyErr_SetString(PyExc_ValueError, "audit_tables: units must be an int >= 0");
        return NULL;
    }
    uint64_t units = overflow > 0 ? UINT64_MAX : (uint64_t)units_value;
    for (int i = 0; i < A_COUNT; i++)
        if (!(attr[i] = figures ? Py_NewRef(figures->attr[i]) : PyUnicode_InternFromString(audit_attr_names[i])))
            goto done;
    if (!(seq = PySequence_Fast(tables, "tables must be a sequence"))) goto done;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (by_key) { /* every plan first, as core_pass._plans worked them out before the pass */
        if (!(plan_seq = PyList_New(n))) goto done;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *pair = audit_plan_by_key(&pack, attr, PySequence_Fast_GET_ITEM(seq, i), plans, plan_of);
            if (!pair) goto done;
            PyList_SET_ITEM(plan_seq, i, pair);
        }
    } else if (!(plan_seq = PySequence_Fast(plans, "plans must be a sequence"))) {
        goto done;
    }
    if (PySequence_Fast_GET_SIZE(plan_seq) != n) {
        PyErr_SetString(PyExc_ValueError, "one (measures, equations, unit_fen, decimals) plan per table");
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *measures, *equations, *given = PySequence_Fast_GET_ITEM(plan_seq, i);
        unsigned long long unit_fen = 0;
        int decimals = 0;
        if (by_key) given = PyTuple_GET_ITEM(given, 0); /* of (plan, measure set) */
        if (!audit_plan_args(given, &measures, &equations, &unit_fen, &decimals) ||
            audit_pack_table(&pack, attr, PySequence_Fast_GET_ITEM(seq, i), measures, equations, 0, figures) < 0) {
            audit_name_table(i);
            goto done;
        }
        audit_table_plan *plan = (audit_table_plan *)pack.plans.items + pack.plans.count - 1;
        plan->has_figures = audit_has_figures(&pack, plan);
        plan->step_fen = audit_step(unit_fen, plan->has_figures ? decimals : 2, units);
        plan->half_step_fen = audit_step(unit_fen, plan->has_figures ? decimals : 2, 1) / 2;
        plan->res_pow = audit_res_pow(unit_fen, plan->has_figures ? decimals : 2);
    }
    /* cross.performance_vs_projects' forms: without them (or with one the rule must read itself), the
     * rule runs; else the pass decides whether it does (targets stays 0 until pb_targets_differ says) */
    int forms_read = projects == Py_None ? 0 : audit_target_forms(&pack, projects, attr);
    if (forms_read < 0) goto done;
    targets = !forms_read;
    if (!(packed = audit_pack_resolve(&pack, &slots))) goto done;
    if (!(half_steps = PyMem_Calloc(n ? (size_t)n : 1, sizeof *half_steps)) ||
        !(forms = PyMem_Calloc(pack.forms.count ? pack.forms.count : 1, sizeof *forms))) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) half_steps[i] = ((const audit_table_plan *)pack.plans.items)[i].half_step_fen;
    for (size_t k = 0; k < pack.forms.count; k++) {
        const audit_form *form = (const audit_form *)pack.forms.items + k;
        forms[k] = (pb_target_form){arena_resolve(&pack.arena, form->name), form->fen};
    }
    if (figures && !(found_figures = PyMem_Calloc(figures->n_specs ? figures->n_specs : 1, sizeof *found_figures))) {
        PyErr_NoMemory();
        goto done;
    }
    if (figures && audit_figure_tables(figures, packed, (size_t)n, &way_tables, &code_slots) < 0) goto done;
    pb_audit_status status;
    Py_BEGIN_ALLOW_THREADS
    status = pb_audit_sums(packed, (size_t)n, &found);
    for (size_t k = 0; figures && k < figures->n_specs; k++)
        found_figures[k] = pb_figure_find_in(packed, (size_t)n, figures->ways + figures->specs[k].first,
                                             figures->specs[k].count, way_tables + figures->specs[k].first);
    pb_cross_function_codes(packed, (size_t)n, code_blocks);
    for (Py_ssize_t i = 0; i < n && !three_public; i++)
        if (text_eq(packed[i].kind, (pb_audit_text){"three_public", sizeof "three_public" - 1}))
            three_public = pb_audit_three_public(&packed[i]);
    if (!targets) targets = pb_targets_differ(packed, (size_t)n, half_steps, forms, pack.forms.count, NULL);
    Py_END_ALLOW_THREADS
    if (targets < 0) {
        PyErr_NoMemory();
        goto done;
    }
    if (status == PB_AUDIT_NO_MEMORY) {
        PyErr_NoMemory();
        goto done;
    }
    if (status != PB_AUDIT_OK) {
        PyErr_SetString(PyExc_ValueError, "audit_tables: more comparisons than 2**32");
        goto done;
    }
    result = PyTuple_New(PB_AUDIT_RULES + 10);
    if (!result) goto done;
    PyTuple_SET_ITEM(result, PB_AUDIT_RULES + 7, PyBool_FromLong(three_public));
    PyTuple_SET_ITEM(result, PB_AUDIT_RULES + 8, PyBool_FromLong(targets));
    PyObject *structure = audit_structure(&pack, seq, attr, n);
    if (!structure) {
        Py_CLEAR(result);
        goto done;
    }
    PyTuple_SET_ITEM(result, PB_AUDIT_RULES + 6, structure);
    PyObject *total_rows = audit_total_rows(&pack, packed, n);
    if (!total_rows) {
        Py_CLEAR(result);
        goto done;
    }
    PyTuple_SET_ITEM(result, PB_AUDIT_RULES + 4, total_rows);
    PyObject *blocks = PyTuple_New(PB_CROSS_BLOCKS);
    if (!blocks) {
        Py_CLEAR(result);
        goto done;
    }
    PyTuple_SET_ITEM(result, PB_AUDIT_RULES + 3, blocks);
    for (int b = 0; b < PB_CROSS_BLOCKS; b++) PyTuple_SET_ITEM(blocks, b, PyBool_FromLong(code_blocks[b]));
    PyObject *table_steps = PyTuple_New(n);
    if (!table_steps) {
        Py_CLEAR(result);
        goto done;
    }
    PyTuple_SET_ITEM(result, PB_AUDIT_RULES + 2, table_steps);
    for (Py_ssize_t i = 0; i < n; i++) {
        const audit_table_plan *pl = (const audit_table_plan *)pack.plans.items + i;
        PyObject *items[] = {PyBool_FromLong(pl->has_figures), PyLong_FromUnsignedLongLong(pl->step_fen),
                             pl->res_pow == AUDIT_NO_POWER ? Py_NewRef(Py_None) : PyLong_FromLong(pl->res_pow)};
        PyObject *triple = tuple_of(3, items);
        if (!triple) {
            Py_CLEAR(result);
            goto done;
        }
        PyTuple_SET_ITEM(table_steps, i, triple);
    }
    size_t n_tuples = figures ? figures->n_specs - figures->n_cells : 0;
    PyObject *figure_results = figures ? figures_list(found_figures, n_tuples) : Py_NewRef(Py_None);
    if (!figure_results) {
        Py_CLEAR(result);
        goto done;
    }
    PyTuple_SET_ITEM(result, PB_AUDIT_RULES + 1, figure_results);
    PyObject *cell_results = figures ? cells_list(found_figures + n_tuples, figures->n_cells) : Py_NewRef(Py_None);
    if (!cell_results) {
        Py_CLEAR(result);
        goto done;
    }
    PyTuple_SET_ITEM(result, PB_AUDIT_RULES + 9, cell_results);
    /* The lookups the other rules ask of these tables, worked out once: each table's
     * project list or class rows (the kinds the sums read them of), else None. */
    PyObject *lookups = PyList_New(n);
    if (!lookups) {
        Py_CLEAR(result);
        goto done;
    }
    PyTuple_SET_ITEM(result, PB_AUDIT_RULES, lookups);
    for (Py_ssize_t i = 0; i < n; i++) {
        const audit_table_plan *pl = (const audit_table_plan *)pack.plans.items + i;
        PyObject *got = Py_None;
        Py_INCREF(got);
        if (pl->needs & (NEED_PROJECTS | NEED_SIDES)) {
            Py_DECREF(got);
            uint32_t *scratch = PyMem_Calloc(3 * (packed[i].n_rows + 1), sizeof *scratch);
            got = !scratch ? PyErr_NoMemory()
                  : pl->needs & NEED_PROJECTS ? project_list_tuple(&packed[i], scratch)
                                              : class_rows_list(&packed[i], scratch);
            PyMem_Free(scratch);
            if (!got) {
                Py_CLEAR(result);
                goto done;
            }
        }
        PyList_SET_ITEM(lookups, i, got);
    }
    PyObject *memos = memo_keys == Py_None ? Py_NewRef(Py_None)
                      : audit_memo_entries(&pack, seq, attr, plan_seq, lookups, total_rows, memo_keys, n);
    if (!memos) {
        Py_CLEAR(result);
        goto done;
    }
    PyTuple_SET_ITEM(result, PB_AUDIT_RULES + 5, memos);
    for (int r = 0; r < PB_AUDIT_RULES; r++) {
        PyObject *list = PyList_New(0);
        if (!list) {
            Py_CLEAR(result);
            goto done;
        }
        PyTuple_SET_ITEM(result, r, list);
    }
    for (size_t k = 0; k < found.n_diffs; k++) {
        PyObject *item = audit_diff_tuple(&found, &found.diffs[k]);
        if (!item || PyList_Append(PyTuple_GET_ITEM(result, found.diffs[k].rule), item) < 0) {
            Py_XDECREF(item);
            Py_CLEAR(result);
            goto done;
        }
        Py_DECREF(item);
    }
done:
    PyMem_Free(found_figures);
    PyMem_Free(way_tables);
    PyMem_Free(code_slots);
    PyMem_Free(half_steps);
    PyMem_Free(forms);
    pb_audit_result_free(&found);
    PyMem_Free(packed);
    PyMem_Free(slots);
    audit_pack_free(&pack);
    Py_XDECREF(seq);
    Py_XDECREF(plan_seq);
    for (int i = 0; i < A_COUNT; i++) Py_XDECREF(attr[i]);
    return result;
}

/* audit_lookup(table, measures, what): one table's class rows or project list, worked out by the
 * same C code the sums use. */
static PyObject *core_audit_lookup(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *table, *measures, *attr[A_COUNT] = {NULL}, *result = NULL, *no_equations = NULL;
    const char *what;
    if (!PyArg_ParseTuple(args, "OOs:audit_lookup", &table, &measures, &what)) return NULL;
    int projects = strcmp(what, "project_list") == 0;
    if (!projects && strcmp(what, "class_rows") != 0) {
        PyErr_Format(PyExc_ValueError, "audit_lookup: what is 'project_list' or 'class_rows', not %R",
                     PyTuple_GET_ITEM(args, 2));
        return NULL;
    }
    audit_pack pack;
    audit_pack_init(&pack);
    pb_audit_table *packed = NULL;
    pb_audit_text *slots = NULL;
    uint32_t *scratch = NULL;
    for (int i = 0; i < A_COUNT; i++)
        if (!(attr[i] = PyUnicode_InternFromString(audit_attr_names[i]))) goto done;
    if (!(no_equations = PyTuple_New(0)) ||
        audit_pack_table(&pack, attr, table, measures, no_equations, projects ? NEED_PROJECTS | NEED_CODES : NEED_SIDES,
                         NULL) <
            0 ||
        !(packed = audit_pack_resolve(&pack, &slots)))
        goto done;
    size_t n = packed->n_rows;
    if (!(scratch = PyMem_Calloc(3 * (n + 1), sizeof *scratch))) {
        PyErr_NoMemory();
        goto done;
    }
    result = projects ? project_list_tuple(packed, scratch) : class_rows_list(packed, scratch);
done:
    PyMem_Free(scratch);
    PyMem_Free(packed);
    PyMem_Free(slots);
    audit_pack_free(&pack);
    Py_XDECREF(no_equations);
    for (int i = 0; i < A_COUNT; i++) Py_XDECREF(attr[i]);
    return result;
}

/* ---- row names (pb_names.h) ------------------------------------------------ */

/* Names of up to this many bytes are normalised in a buffer on the stack (the
 * longest of the seeds and the generated corpus has 114); longer ones in one
 * from PyMem_Malloc. */
#define NAME_STACK_BYTES 256

static int name_arg(const char *function, PyObject *arg) {
    if (PyUnicode_Check(arg)) return 1;
    PyErr_Format(PyExc_TypeError, "%s() argument must be str, not %.100s", function, Py_TYPE(arg)->tp_name);
    return 0;
}

static PyObject *core_norm_name(PyObject *module, PyObject *name) {
    (void)module;
    if (!name_arg("norm_name", name)) return NULL;
    PyObject *holder, *result = NULL;
    Py_ssize_t n;
    const char *utf8 = name_utf8(name, &n, &holder);
    if (!utf8) return NULL;
    char stack[NAME_STACK_BYTES];
    char *out = (size_t)n <= sizeof stack ? stack : PyMem_Malloc((size_t)n);
    if (!out) {
        PyErr_NoMemory();
        goto done;
    }
    size_t len = pb_norm_name(utf8, (size_t)n, out);
    if (len == (size_t)n && PyUnicode_CheckExact(name)) result = Py_NewRef(name); /* normalising only shortens: unchanged */
    else result = PyUnicode_DecodeUTF8(out, (Py_ssize_t)len, "surrogatepass");
done:
    if (out != stack) PyMem_Free(out);
    Py_XDECREF(holder);
    return result;
}

static PyObject *core_org_name(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (nargs < 1 || nargs > 2) {
        PyErr_Format(PyExc_TypeError, "org_name() takes 1 or 2 arguments (%zd given)", nargs);
        return NULL;
    }
    PyObject *department = nargs > 1 ? args[1] : Py_None;
    if (!name_arg("org_name", args[0]) || (department != Py_None && !name_arg("org_name", department))) return NULL;
    PyObject *name_holder, *department_holder = NULL, *result = NULL;
    Py_ssize_t n, department_n = 0;
    const char *utf8 = name_utf8(args[0], &n, &name_holder), *department_utf8 = NULL;
    if (!utf8) return NULL;
    char stack[NAME_STACK_BYTES];
    char *norm = (size_t)n <= sizeof stack ? stack : PyMem_Malloc((size_t)n);
    if (!norm) {
        PyErr_NoMemory();
        goto done;
    }
    if (department != Py_None && !(department_utf8 = name_utf8(department, &department_n, &department_holder))) goto done;
    size_t len = pb_norm_name(utf8, (size_t)n, norm);
    result = PyBool_FromLong(pb_org_name(norm, len, department_utf8, (size_t)department_n));
done:
    if (norm != stack) PyMem_Free(norm);
    Py_XDECREF(name_holder);
    Py_XDECREF(department_holder);
    return result;
}

static PyObject *core_class_code(PyObject *module, PyObject *name) {
    (void)module;
    if (!name_arg("class_code", name)) return NULL;
    PyObject *holder;
    Py_ssize_t n;
    const char *utf8 = name_utf8(name, &n, &holder);
    if (!utf8) return NULL;
    char code[4];
    int found = pb_class_code(utf8, (size_t)n, code);
    Py_XDECREF(holder);
    if (!found) Py_RETURN_NONE;
    return PyUnicode_FromString(code);
}

/* ---- module -------------------------------------------------------------- */

static PyObject *core_parse_number(PyObject *module, PyObject *args) {
    (void)module;
    const char *s;
    Py_ssize_t n;
    int pow10 = 0;
    if (!PyArg_ParseTuple(args, "s#|i:parse_number", &s, &n, &pow10)) return NULL;
    pb_number num;
    pb_num_kind k = pb_parse_number(s, (size_t)n, &num);
    if (k == PB_NUM_NONE) Py_RETURN_NONE;
    if (k == PB_NUM_DASH) return PyUnicode_FromString("-");
    int64_t fen;
    int ex = pb_number_to_fen(&num, pow10, &fen);
    if (ex < 0) {
        PyErr_SetString(PyExc_OverflowError, "amount does not fit in 64-bit fen");
        return NULL;
    }
    return Py_BuildValue("(Li)", (long long)fen, num.decimals);
}

static PyObject *core_tokenize(PyObject *module, PyObject *arg) {
    (void)module;
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) return NULL;
    pb_options opt;
    pb_options_default(&opt);
    opt.tokenize_only = 1;
    pb_parser *p = pb_parser_new(&opt, NULL);
    if (!p) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    pb_status st;
    Py_BEGIN_ALLOW_THREADS
    st = pb_feed(p, view.buf, (size_t)view.len);
    if (st == PB_OK) st = pb_finish(p);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    PyObject *result = NULL;
    if (st != PB_OK) {
        PyErr_Format(PyExc_ValueError, "tokenize: line %llu: %s", (unsigned long long)pb_error_line(p),
                     pb_error_message(p));
    } else {
        pb_token_counts c = pb_get_token_counts(p);
        result = Py_BuildValue("(KKK)", (unsigned long long)c.lines, (unsigned long long)c.cells,
                               (unsigned long long)c.text_bytes);
    }
    pb_parser_free(p);
    return result;
}

/* ---- project names paired (pb_match.h) -------------------------------------- */

/* A name's key (pb_match_key of its normalised UTF-8) written to *key (PyMem_Malloc'd, the
 * caller frees it); its length in code points. -1 with an exception. */
static Py_ssize_t match_key_of(PyObject *name, uint32_t **key) {
    PyObject *holder;
    Py_ssize_t n;
    *key = NULL;
    const char *utf8 = name_utf8(name, &n, &holder);
    if (!utf8) return -1;
    char *norm = PyMem_Malloc(n ? (size_t)n : 1);
    *key = PyMem_Malloc((n ? (size_t)n : 1) * sizeof **key);
    Py_ssize_t len = -1;
    if (!norm || !*key) {
        PyErr_NoMemory();
        PyMem_Free(*key);
        *key = NULL;
    } else {
        len = (Py_ssize_t)pb_match_key(norm, pb_norm_name(utf8, (size_t)n, norm), *key);
    }
    PyMem_Free(norm);
    Py_XDECREF(holder);
    return len;
}

static PyObject *core_match_key(PyObject *module, PyObject *name) {
    (void)module;
    if (!name_arg("match_key", name)) return NULL;
    uint32_t *key;
    Py_ssize_t len = match_key_of(name, &key);
    if (len < 0) return NULL;
    PyObject *result = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, key, len);
    PyMem_Free(key);
    return result;
}

/* One side of match_names: (name, fen) pairs read into names[] (keys PyMem_Malloc'd). */
static int match_side(PyObject *items, const char *side, pb_match_name **names, Py_ssize_t *count) {
    PyObject *seq = PySequence_Fast(items, "match_names: each side is a sequence of (name, fen)");
    if (!seq) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    *count = 0;
    *names = PyMem_Calloc(n ? (size_t)n : 1, sizeof **names);
    int rc = *names ? 0 : -1;
    if (rc < 0) PyErr_NoMemory();
    for (Py_ssize_t i = 0; rc == 0 && i < n; i++) {
        PyObject *name;
        long long fen;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "UL:match_names", &name, &fen)) {
            PyErr_Format(PyExc_TypeError, "match_names: %s item %zd is not (str, int within 64 bits)", side, i);
            rc = -1;
            break;
        }
        uint32_t *key;
        Py_ssize_t len = match_key_of(name, &key);
        if (len < 0) {
            rc = -1;
            break;
        }
        (*names)[i] = (pb_match_name){key, (size_t)len, fen};
        *count = i + 1;
    }
    Py_DECREF(seq);
    return rc;
}

static void match_side_free(pb_match_name *names, Py_ssize_t count) {
    for (Py_ssize_t i = 0; names && i < count; i++) PyMem_Free((void *)names[i].key);
    PyMem_Free(names);
}

static PyObject *core_match_names(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *left_arg, *right_arg, *result = NULL;
    unsigned long long tolerance;
    if (!PyArg_ParseTuple(args, "OOK:match_names", &left_arg, &right_arg, &tolerance)) return NULL;
    pb_match_name *left = NULL, *right = NULL;
    Py_ssize_t n_left = 0, n_right = 0;
    pb_match_result found;
    pb_match_result_init(&found, NULL);
    if (match_side(left_arg, "left", &left, &n_left) < 0 || match_side(right_arg, "right", &right, &n_right) < 0)
        goto done;
    pb_match_status status;
    Py_BEGIN_ALLOW_THREADS
    status = pb_match_names(left, (size_t)n_left, right, (size_t)n_right, tolerance, &found);
    Py_END_ALLOW_THREADS
    if (status != PB_MATCH_OK) {
        if (status == PB_MATCH_NO_MEMORY) PyErr_NoMemory();
        else PyErr_SetString(PyExc_ValueError, "match_names: too many names");
        goto done;
    }
    result = PyList_New((Py_ssize_t)found.n_pairs);
    for (size_t k = 0; result && k < found.n_pairs; k++) {
        PyObject *pair = Py_BuildValue("(IId)", found.pairs[k].left, found.pairs[k].right, found.pairs[k].similarity);
        if (!pair) Py_CLEAR(result);
        else PyList_SET_ITEM(result, (Py_ssize_t)k, pair);
    }
done:
    pb_match_result_free(&found);
    match_side_free(left, n_left);
    match_side_free(right, n_right);
    return result;
}

/* ---- the table of contents against the titles (pb_toc.h) ------------------------- */

/* A str's code points, appended to *points (grown as needed). */
static int toc_points(PyObject *s, uint32_t **points, size_t *count, size_t *cap) {
    if (PyUnicode_READY(s) < 0) return -1;
    size_t n = (size_t)PyUnicode_GET_LENGTH(s);
    if (*count + n > *cap) {
        size_t want = *cap ? *cap : 1024;
        while (want < *count + n) want *= 2;
        uint32_t *grown = PyMem_Realloc(*points, want * sizeof *grown);
        if (!grown) {
            PyErr_NoMemory();
            return -1;
        }
        *points = grown;
        *cap = want;
    }
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (size_t i = 0; i < n; i++) (*points)[*count + i] = PyUnicode_READ(kind, data, (Py_ssize_t)i);
    *count += n;
    return 0;
}

/* toc_unmatched(toc, tables): structure.toc's entries (by index) that name one table and match no title of
 * the tables (those not of kind 'performance' with a title). */
static PyObject *core_toc_unmatched(PyObject *module, PyObject *args) {
    PyObject *toc_arg, *tables_arg, *entries = NULL, *tables = NULL, *result = NULL, *text_name = NULL,
             *kind_name = NULL, *title_name = NULL;
    uint32_t *points = NULL, *out = NULL;
    size_t n_points = 0, cap = 0, *starts = NULL;
    pb_toc_text *texts = NULL;
    if (!PyArg_ParseTuple(args, "OO:toc_unmatched", &toc_arg, &tables_arg)) return NULL;
    core_state *st = get_state(module);
    if (!(entries = PySequence_Fast(toc_arg, "toc_unmatched: the contents must be a sequence")) ||
        !(tables = PySequence_Fast(tables_arg, "toc_unmatched: the tables must be a sequence")) ||
        !(text_name = Py_NewRef(st->line_names[1])) || !(kind_name = PyUnicode_InternFromString("kind")) ||
        !(title_name = PyUnicode_InternFromString("title")))
        goto done;
    Py_ssize_t n_entries = PySequence_Fast_GET_SIZE(entries), n_tables = PySequence_Fast_GET_SIZE(tables);
    if (!(starts = PyMem_Malloc(((size_t)n_entries + (size_t)n_tables + 1) * sizeof *starts)) ||
        !(out = PyMem_Malloc(((size_t)n_entries + 1) * sizeof *out))) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n_entries; i++) {
        PyObject *text = PyObject_GetAttr(PySequence_Fast_GET_ITEM(entries, i), text_name);
        int rc = !text ? -1 : !PyUnicode_Check(text) ? -2 : (starts[i] = n_points, toc_points(text, &points, &n_points, &cap));
        if (rc == -2) PyErr_Format(PyExc_TypeError, "toc entry %zd: text must be str, not %.50s", i, Py_TYPE(text)->tp_name);
        Py_XDECREF(text);
        if (rc < 0) goto done;
    }
    Py_ssize_t n_titles = 0;
    for (Py_ssize_t i = 0; i < n_tables; i++) { /* the titles of the tables that are no target form, given */
        PyObject *table = PySequence_Fast_GET_ITEM(tables, i), *kind = NULL, *title = NULL;
        int rc = (kind = PyObject_GetAttr(table, kind_name)) ? 0 : -1;
        if (!rc && PyUnicode_Check(kind) && PyUnicode_CompareWithASCIIString(kind, "performance") == 0) rc = 1;
        if (!rc) rc = (title = PyObject_GetAttr(table, title_name)) ? PyObject_IsTrue(title) : -1;
        if (rc == 1 && title) {
            if (!PyUnicode_Check(title)) {
                PyErr_Format(PyExc_TypeError, "table %zd: title must be str, not %.50s", i, Py_TYPE(title)->tp_name);
                rc = -1;
            } else {
                starts[n_entries + n_titles++] = n_points;
                rc = toc_points(title, &points, &n_points, &cap);
            }
        }
        Py_XDECREF(kind);
        Py_XDECREF(title);
        if (rc < 0) goto done;
    }
    starts[n_entries + n_titles] = n_points;
    if (!(texts = PyMem_Malloc(((size_t)n_entries + (size_t)n_titles + 1) * sizeof *texts))) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n_entries + n_titles; i++) /* entries, then titles, end to end */
        texts[i] = (pb_toc_text){points ? points + starts[i] : NULL, starts[i + 1] - starts[i]};
    size_t found;
    Py_BEGIN_ALLOW_THREADS
    found = pb_toc_unmatched(texts, (size_t)n_entries, texts + n_entries, (size_t)n_titles, out, NULL);
    Py_END_ALLOW_THREADS
    if (found == SIZE_MAX) {
        PyErr_NoMemory();
        goto done;
    }
    result = PyTuple_New((Py_ssize_t)found);
    for (size_t k = 0; result && k < found; k++) {
        PyObject *i = PyLong_FromUnsignedLong(out[k]);
        if (!i) Py_CLEAR(result);
        else PyTuple_SET_ITEM(result, (Py_ssize_t)k, i);
    }
done:
    PyMem_Free(points);
    PyMem_Free(out);
    PyMem_Free(starts);
    PyMem_Free(texts);
    Py_XDECREF(entries);
    Py_XDECREF(tables);
    Py_XDECREF(text_name);
    Py_XDECREF(kind_name);
    Py_XDECREF(title_name);
    return result;
}

static PyMethodDef core_methods[] = {
    {"tokenize", core_tokenize, METH_O,
     "tokenize(data) -> (lines, cells, text_bytes)\n\n"
     "Runs only the tokenizer (gzip, decoding, lines, cells) over one document, with the GIL released:\n"
     "what the full parse costs before any table is recognised."},
    {"parse_number", core_parse_number, METH_VARARGS,
     "parse_number(text, unit_pow10=0) -> (fen, decimals) | '-' | None\n\n"
     "The core's exact number parser: '733. 90', '4,092.38', '50, 000'."},
    {"parse_items", (PyCFunction)(void (*)(void))core_parse_items, METH_VARARGS | METH_KEYWORDS,
     "parse_items(data, doc_ids=None, sources=None, *, strict=False, max_line=0, max_cells=0, max_table_rows=0,\n"
     "            max_inflate_ratio=0) -> ItemColumns\n\n"
     "Parses every bytes-like document in data with the GIL released and stores their items by column.\n"
     "A document that fails keeps no items; its entry in .documents says why."},
    {"fact_rows", (PyCFunction)core_fact_rows, METH_O,
     "fact_rows(lines) -> (FactRows, (share, shares_sum, change_pct, parts_sum), numbers)\n\n"
     "read_facts(lines, True) with the facts kept in the core: rows[i] makes fact i's dict when asked for."},
    {"read_facts", (PyCFunction)(void (*)(void))core_read_facts, METH_FASTCALL,
     "read_facts(lines, audit=False) -> list[dict] | (list[dict], (share, shares_sum, change_pct, parts_sum),\n"
     "                                                (sections, records))\n\n"
     "The narrative facts of prose lines ((line, text) pairs or TextLine objects), read with the GIL released,\n"
     "one dict per fact keyed by Fact's fields: value is (digits, exponent), value_yuan None, and share,\n"
     "change and change_pct are None, 0 (a zero stated in words), 'inf' or (digits, exponent, negative,\n"
     "unit); pybudget.facts makes them exact decimals and the dict the Fact's own.\n"
     "With checks, also the comparisons of the facts with each other that may fail (the rest certainly pass;\n"
     "pybudget/checks/text_rules.py judges these): share and change_pct list fact indexes, shares_sum tuples\n"
     "of them, parts_sum (tuple, units) pairs, kept while the tolerance's units are below units (None: always);\n"
     "and the facts' numbers for restated_facts: the sections the facts are in (a str per run of facts in one\n"
     "section) and a record per fact (its subject, section, value in 分 and resolution: csrc/pb_restate.h)."},
    {"restated_facts", core_restated_facts, METH_VARARGS,
     "restated_facts(numbers, contexts, ways, figures, tables) -> list[int]\n\n"
     "The indexes of the facts text.vs_table must look at; it decides the rest from the figures the audit\n"
     "found (csrc/pb_restate.h), with the GIL released. numbers is read_facts' (sections, records); contexts\n"
     "a bytes of each section's context (0 .. 2); ways a bytes of native int32, for money facts then 个\n"
     "counts, for each subject and context: the spec of its figure, -1 when Python looks it up, -2 when no\n"
     "table prints it; figures and tables as audit_tables gives them: per spec None (not printed), False\n"
     "(only Python finds it) or (table, row, fen); per table (has_figures, step, res_pow), res_pow one unit\n"
     "of its last printed digit as a power of ten of 元 (None: Python compares its figures)."},
    {"fact_paragraphs", core_fact_paragraphs, METH_O,
     "fact_paragraphs(lines) -> list[(text, starts, section, heading)]\n\n"
     "The prose lines joined into paragraphs as the facts reader reads them; starts holds\n"
     "(character offset, line) pairs."},
    {"fact_tables", core_fact_tables, METH_NOARGS,
     "fact_tables() -> (subjects, [(code, class name)])\n\n"
     "Every subject a fact can have, and the function classes by their full names (their older and\n"
     "regional spellings are read by class_code)."},
    {"audit_tables", core_audit_tables, METH_VARARGS,
     "audit_tables(tables, plans, units, figures=None, plan_of=None, memo_keys=None, projects=None) ->\n"
     "(children_sum, columns_sum, balance, group_sum, lookups, figures, tables, code_blocks, total_rows, memos,\n"
     "structure, three_public, targets, cells)\n\n"
     "The comparisons of the table rules that differ by more than rounding allows (pybudget/checks/\n"
     "table_rules.py judges them again). plans holds one (measures, equations, unit_fen, decimals) plan per\n"
     "table: the amount columns in printed order, the column identities as (lhs, (parts…)), what the table's\n"
     "unit is worth in 分 and its printed decimals; units is the tolerance's units per summed item (the step\n"
     "per item is units of the last printed digit, of the second decimal in a table printing no amount).\n"
     "tables holds, per table, (whether it prints any amount, the step in 分); code_blocks, for each block of\n"
     "cross.function_code (csrc/pb_cross.h), whether any of its codes differs. Each comparison is (table, what, parent row, index, child rows); the sums run with the\n"
     "GIL released. lookups holds, per table, what audit_lookup would give for it: the project list of a\n"
     "project-like table, the class rows of a 收支总表, else None. figures (a figure_plan) adds, per spec,\n"
     "the cell its ways find: (table, row, fen, way), (table, -1, 0, way) for a table printing no amount\n"
     "(way: the index of the spec's way that found it), None when\n"
     "none is printed, False when a way only Python knows is reached; without it, figures is None.\n"
     "plans may instead be a dict of (plan, measure set) by (kind, column measures, unit, decimals), each\n"
     "table's read here; plan_of(kind, measures, unit, decimals) gives the pair of a key it lacks. With it,\n"
     "memo_keys (8 keys) makes memos each table's memo entries (lookup.PASS_KEYS). structure is (each title's\n"
     "year or None, the tables printing no amount, (first department, the tables naming another)).\n"
     "three_public: whether an item sum of a “三公”经费表 differs from its total (pb_audit_three_public).\n"
     "targets: whether the performance targets of projects (a document's Project list) may differ from the\n"
     "project table (pb_targets_differ); True without projects. cells: the figures of the plan's last\n"
     "specs (figure_plan's cells) as plain cells; figures holds the others' (both None without a plan)."},
    {"figure_plan", core_figure_plan, METH_VARARGS,
     "figure_plan(specs, cells=0) -> capsule\n\n"
     "Compiles the ways pybudget/checks/figures.py declares for audit_tables: each spec a tuple of ways\n"
     "(how, kind, side, flags, measure, names), tried in turn (csrc/pb_figure.h). audit_tables gives the\n"
     "figures of the last `cells` specs as plain cells (the amount in 分, None, False), apart."},
    {"audit_lookup", core_audit_lookup, METH_VARARGS,
     "audit_lookup(table, measures, what) -> (top, units, unit_starts, leaves) | [(class code, row)]\n\n"
     "One table's project list (what='project_list': row indexes of its total (-1 for none), unit rows,\n"
     "where each unit's projects start in leaves, and the projects) or function-class rows\n"
     "(what='class_rows'), worked out by the C code the sums use."},
    {"match_key", core_match_key, METH_O,
     "match_key(name) -> str\n\n"
     "A project name's key for pairing: norm_name's result without blanks and the punctuation\n"
     ":：,，.。、()（）【】[]-—_· (csrc/pb_match.h)."},
    {"toc_unmatched", core_toc_unmatched, METH_VARARGS,
     "toc_unmatched(toc, tables) -> tuple[int, ...]\n\n"
     "structure.toc's reading (csrc/pb_toc.h): the indexes of the contents entries (each with a str text) that\n"
     "name one table and match the title of none of the tables (those not of kind 'performance' with a\n"
     "title, a str), in order."},
    {"match_names", core_match_names, METH_VARARGS,
     "match_names(left, right, tolerance_fen) -> list[(i, j, similarity)]\n\n"
     "Pairs left[i] with right[j], each a (name, fen) pair, best first: the same character pairs with\n"
     "amounts no further apart than tolerance_fen, then by similarity (Dice's coefficient of the keys'\n"
     "character pairs, 0.9 for one key of 4+ characters inside the other, at least 0.3) plus 0.3 for\n"
     "close amounts; each name at most once (csrc/pb_match.h). The pairing runs with the GIL released."},
    {"norm_name", core_norm_name, METH_O,
     "norm_name(name) -> str\n\n"
     "A row name without blanks (Unicode's), a leading 其中 and one leading enumerator ('(一)', '一、', '①',\n"
     "'1.'), without the quotes and colons “”\"‘’:：, and with full-width parentheses made ASCII."},
    {"org_name", (PyCFunction)(void (*)(void))core_org_name, METH_FASTCALL,
     "org_name(name, department=None) -> bool\n\n"
     "Whether the row name, normalised, is a unit's ('…局', '…中心(本级)') and not a project's ('…经费'),\n"
     "or is the table's department or part of it."},
    {"class_code", core_class_code, METH_O,
     "class_code(name) -> str | None\n\n"
     "The function-class code of a summary-table row name: '八、社会保障和就业支出' -> '208',\n"
     "'(十)卫生健康支出' -> '210', '十、卫生健康' -> '210'; None for a name that is no class."},
    {NULL, NULL, 0, NULL},
};

static int core_exec(PyObject *module) {
    core_state *st = get_state(module);
    st->error = PyErr_NewExceptionWithDoc("pybudget._core.Error", "Error raised by the C core.", PyExc_ValueError, NULL);
    if (!st->error || PyModule_AddObjectRef(module, "Error", st->error) < 0) return -1;
    st->parser_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &Parser_spec, NULL);
    if (!st->parser_type || PyModule_AddType(module, st->parser_type) < 0) return -1;
    st->fact_rows_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &FactRows_spec, NULL);
    if (!st->fact_rows_type || PyModule_AddType(module, st->fact_rows_type) < 0) return -1;
    if (!(st->fact_keys = PyTuple_New(FACT_KEYS)) || !(st->fact_blank = PyDict_New())) return -1;
    for (size_t k = 0; k < FACT_KEYS; k++) {
        PyObject *key = PyUnicode_InternFromString(fact_keys[k]);
        if (!key) return -1;
        PyTuple_SET_ITEM(st->fact_keys, (Py_ssize_t)k, key);
        if (PyDict_SetItem(st->fact_blank, key, Py_None) < 0) return -1;
    }
    if (!(st->line_names[0] = PyUnicode_InternFromString("line")) ||
        !(st->line_names[1] = PyUnicode_InternFromString("text")))
        return -1;
    PyObject *items_type = PyType_FromModuleAndSpec(module, &ItemColumns_spec, NULL);
    if (!items_type) return -1;
    int added = PyModule_AddType(module, (PyTypeObject *)items_type);
    Py_DECREF(items_type);
    if (added < 0) return -1;
    for (int i = 0; i < PB_R__COUNT; i++) {
        st->record_types[i] = PyStructSequence_NewType(&record_descs[i]);
        if (!st->record_types[i]) return -1;
        const char *dot = strrchr(record_descs[i].name, '.');
        if (PyModule_AddObjectRef(module, dot + 1, (PyObject *)st->record_types[i]) < 0) return -1;
    }
    PyObject *kinds = PyTuple_New(PB_R__COUNT);
    if (!kinds) return -1;
    for (int i = 0; i < PB_R__COUNT; i++) {
        PyObject *s = PyUnicode_FromString(pb_record_kind_name((pb_record_kind)i));
        if (!s) {
            Py_DECREF(kinds);
            return -1;
        }
        PyTuple_SET_ITEM(kinds, i, s);
    }
    int r = PyModule_AddObjectRef(module, "RECORD_KINDS", kinds);
    Py_DECREF(kinds);
    if (r < 0) return -1;
    /* how alike two paired project names must be for their amounts to be compared (pb_match.h) */
    PyObject *alike = PyFloat_FromDouble(PB_MATCH_ALIKE);
    if (!alike) return -1;
    r = PyModule_AddObjectRef(module, "MATCH_ALIKE", alike);
    Py_DECREF(alike);
    return r;
}

static int core_traverse(PyObject *module, visitproc visit, void *arg) {
    core_state *st = get_state(module);
    Py_VISIT(st->error);
    Py_VISIT(st->parser_type);
    Py_VISIT(st->fact_rows_type);
    Py_VISIT(st->fact_keys);
    Py_VISIT(st->fact_blank);
    Py_VISIT(st->line_names[0]);
    Py_VISIT(st->line_names[1]);
    for (int i = 0; i < PB_R__COUNT; i++) Py_VISIT(st->record_types[i]);
    return 0;
}

static int core_clear(PyObject *module) {
    core_state *st = get_state(module);
    Py_CLEAR(st->error);
    Py_CLEAR(st->parser_type);
    Py_CLEAR(st->fact_rows_type);
    Py_CLEAR(st->fact_keys);
    Py_CLEAR(st->fact_blank);
    Py_CLEAR(st->line_names[0]);
    Py_CLEAR(st->line_names[1]);
    for (int i = 0; i < PB_R__COUNT; i++) Py_CLEAR(st->record_types[i]);
    return 0;
}

static void core_free(void *module) { core_clear((PyObject *)module); }

static PyModuleDef_Slot core_slots[] = {
    {Py_mod_exec, core_exec},
    {0, NULL},
};

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT, "pybudget._core", "C core of pybudget: a push parser for budget disclosure text.",
    sizeof(core_state), core_methods, core_slots, core_traverse, core_clear, core_free,
};

PyMODINIT_FUNC PyInit__core(void) { return PyModuleDef_Init(&core_module); }
