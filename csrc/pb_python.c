/* CPython glue: the only file that includes Python.h. It wraps the pure C
 * push parser as pybudget._core.Parser and turns its record table into typed
 * record objects (struct sequences). The GIL is released around pb_feed and
 * pb_finish only; Python objects are built afterwards, with the GIL. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include "pb.h"
#include "pb_facts.h"

#include <string.h>

static struct PyModuleDef core_module;

typedef struct {
    PyObject *error;                   /* pybudget._core.Error */
    PyTypeObject *parser_type;
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

/* names: the attribute names "line" and "text", made once per call. */
static int fact_line_parts(PyObject *item, PyObject *const names[2], PyObject **line, PyObject **text) {
    if (PyTuple_Check(item) && PyTuple_GET_SIZE(item) == 2) {
        *line = Py_NewRef(PyTuple_GET_ITEM(item, 0));
        *text = Py_NewRef(PyTuple_GET_ITEM(item, 1));
        return 0;
    }
    *line = PyObject_GetAttr(item, names[0]);
    *text = *line ? PyObject_GetAttr(item, names[1]) : NULL;
    return *text ? 0 : -1;
}

static int fact_lines_copy(PyObject *arg, fact_lines *fl) {
    memset(fl, 0, sizeof *fl);
    PyObject *names[2] = {PyUnicode_InternFromString("line"), PyUnicode_InternFromString("text")};
    PyObject *seq = names[0] && names[1] ? PySequence_Fast(arg, "lines must be a sequence of (line, text) pairs") : NULL;
    if (!seq) {
        Py_XDECREF(names[0]);
        Py_XDECREF(names[1]);
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    int rc = -1;
    size_t total = 0;
    Py_ssize_t held = 0; /* texts[0, held) are references kept until their bytes are copied */
    PyObject **texts = PyMem_Calloc((size_t)n + 1, sizeof *texts);
    fl->lines = PyMem_RawCalloc((size_t)n + 1, sizeof *fl->lines);
    if (!texts || !fl->lines) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) { /* each item read once: its text, its size */
        PyObject *line = NULL, *text = NULL;
        if (fact_line_parts(items[i], names, &line, &text) < 0) goto item_failed;
        if (!PyUnicode_Check(text)) {
            PyErr_Format(PyExc_TypeError, "line %zd: text must be str, not %.50s", i, Py_TYPE(text)->tp_name);
            goto item_failed;
        }
        long long no = PyLong_AsLongLong(line);
        if (no == -1 && PyErr_Occurred()) goto item_failed;
        Py_ssize_t len;
        const char *utf8 = PyUnicode_AsUTF8AndSize(text, &len);
        if (!utf8) goto item_failed;
        if ((size_t)len > PB_FACTS_MAX_LINE || (size_t)len > PB_FACTS_MAX_TEXT - total) {
            PyErr_Format(PyExc_ValueError, "line %lld: prose beyond the limits of %zu bytes a line, %zu in all", no,
                         (size_t)PB_FACTS_MAX_LINE, (size_t)PB_FACTS_MAX_TEXT);
            goto item_failed;
        }
        total += (size_t)len;
        fl->lines[i] = (pb_fact_line){(uint64_t)no, utf8, (size_t)len}; /* utf8 lives as long as text */
        texts[held++] = text;
        Py_DECREF(line);
        continue;
    item_failed:
        Py_XDECREF(line);
        Py_XDECREF(text);
        goto done;
    }
    fl->bytes = PyMem_RawMalloc(total + 1);
    if (!fl->bytes) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0, at = 0; i < n; i++) {
        memcpy(fl->bytes + at, fl->lines[i].text, fl->lines[i].len);
        fl->lines[i].text = fl->bytes + at;
        at += (Py_ssize_t)fl->lines[i].len;
    }
    fl->n = (size_t)n;
    rc = 0;
done:
    for (Py_ssize_t i = 0; i < held; i++) Py_DECREF(texts[i]);
    PyMem_Free(texts);
    Py_DECREF(seq);
    Py_DECREF(names[0]);
    Py_DECREF(names[1]);
    if (rc < 0) fact_lines_free(fl);
    return rc;
}

/* Runs pb_facts_read (or only the paragraph joining) with the GIL released. */
static int facts_run(PyObject *arg, pb_fact_store *store, int paragraphs_only) {
    fact_lines fl;
    if (fact_lines_copy(arg, &fl) < 0) return -1;
    pb_facts_status status;
    Py_BEGIN_ALLOW_THREADS
    status = paragraphs_only ? pb_facts_paragraphs(store, fl.lines, fl.n) : pb_facts_read(store, fl.lines, fl.n);
    Py_END_ALLOW_THREADS
    fact_lines_free(&fl);
    if (status == PB_FACTS_NO_MEMORY) {
        PyErr_NoMemory();
        return -1;
    }
    if (status != PB_FACTS_OK) {
        PyErr_Format(PyExc_ValueError, "read_facts: %s", pb_facts_status_message(status));
        return -1;
    }
    return 0;
}

static PyObject *fact_span_str(const pb_fact_store *st, pb_fact_span span) {
    if (!span.present) Py_RETURN_NONE;
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

static PyObject *fact_tuple(const pb_fact_store *st, const pb_fact *f, PyObject **names, PyObject **sentence,
                            pb_fact_span *sentence_span, PyObject **section, pb_fact_span *section_span) {
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
    PyObject *items[] = {
        cached_name(names, f->subject, pb_fact_subject_name(f->subject)),
        PyLong_FromUnsignedLongLong(f->value.digits),
        PyLong_FromLong(f->value.exponent),
        cached_name(names, FACT_NAME_SLOTS - PB_FU__COUNT + f->unit, pb_fact_unit_name(f->unit)),
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
        lines,
        PyLong_FromLong(f->index),
        PyLong_FromLong(f->paragraph),
        PyLong_FromLong(f->sentence_id),
        optional_index(f->part_of),
        optional_index(f->part_list),
        optional_index(f->share_base),
        f->share_base_subject < 0 ? Py_NewRef(Py_None)
                                  : cached_name(names, (size_t)f->share_base_subject,
                                                pb_fact_subject_name((size_t)f->share_base_subject)),
    };
    const Py_ssize_t count = (Py_ssize_t)(sizeof items / sizeof items[0]);
    PyObject *row = PyTuple_New(count);
    for (Py_ssize_t k = 0; k < count; k++) {
        if (!items[k]) Py_CLEAR(row);
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        if (row) PyTuple_SET_ITEM(row, k, items[k]);
        else Py_XDECREF(items[k]);
    }
    return row;
}

static PyObject *core_read_facts(PyObject *module, PyObject *arg) {
    (void)module;
    pb_fact_store store;
    pb_fact_store_init(&store, NULL);
    PyObject *names[FACT_NAME_SLOTS] = {NULL};
    PyObject *sentence = NULL, *section = NULL, *result = NULL;
    pb_fact_span sentence_span = {0, 0, 0}, section_span = {0, 0, 0};
    if (facts_run(arg, &store, 0) < 0) goto done;
    result = PyList_New((Py_ssize_t)store.nfacts);
    if (!result) goto done;
    for (size_t k = 0; k < store.nfacts; k++) {
        PyObject *row = fact_tuple(&store, &store.facts[k], names, &sentence, &sentence_span, &section, &section_span);
        if (!row) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, (Py_ssize_t)k, row);
    }
done:
    for (size_t k = 0; k < FACT_NAME_SLOTS; k++) Py_XDECREF(names[k]);
    Py_XDECREF(sentence);
    Py_XDECREF(section);
    pb_fact_store_free(&store);
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
    (void)module;
    pb_fact_store store;
    pb_fact_store_init(&store, NULL);
    PyObject *result = NULL;
    if (facts_run(arg, &store, 1) < 0) goto done;
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
    PyObject *subjects = NULL, *classes = NULL, *aliases = NULL;
    size_t count = pb_fact_subject_count();
    const char *code, *name;
    if (!(subjects = PyTuple_New((Py_ssize_t)count)) || !(classes = PyList_New(0)) || !(aliases = PyList_New(0)))
        goto failed;
    for (size_t k = 0; k < count; k++) {
        PyObject *s = PyUnicode_FromString(pb_fact_subject_name(k));
        if (!s) goto failed;
        PyTuple_SET_ITEM(subjects, (Py_ssize_t)k, s);
    }
    for (size_t k = 0; pb_fact_function_class(k, &code, &name); k++) {
        PyObject *pair = Py_BuildValue("(ss)", code, name);
        if (!pair || PyList_Append(classes, pair) < 0) {
            Py_XDECREF(pair);
            goto failed;
        }
        Py_DECREF(pair);
    }
    for (size_t k = 0; pb_fact_class_alias(k, &code, &name); k++) {
        PyObject *pair = Py_BuildValue("(ss)", name, code);
        if (!pair || PyList_Append(aliases, pair) < 0) {
            Py_XDECREF(pair);
            goto failed;
        }
        Py_DECREF(pair);
    }
    return Py_BuildValue("(NNN)", subjects, classes, aliases);
failed:
    Py_XDECREF(subjects);
    Py_XDECREF(classes);
    Py_XDECREF(aliases);
    return NULL;
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
    {"read_facts", core_read_facts, METH_O,
     "read_facts(lines) -> list[tuple]\n\n"
     "The narrative facts of prose lines ((line, text) pairs or TextLine objects), read with the GIL released:\n"
     "(subject, digits, exponent, unit, line, sentence, share, change, change_pct, reason, decimals,\n"
     " share_decimals, change_decimals, change_pct_decimals, section, qualifier, lines, index, paragraph,\n"
     " sentence_id, part_of, part_list, share_base, share_base_subject). A number field is None, 0 (a zero\n"
     "stated in words), 'inf' or (digits, exponent, negative, unit)."},
    {"fact_paragraphs", core_fact_paragraphs, METH_O,
     "fact_paragraphs(lines) -> list[(text, starts, section, heading)]\n\n"
     "The prose lines joined into paragraphs as the facts reader reads them; starts holds\n"
     "(character offset, line) pairs."},
    {"fact_tables", core_fact_tables, METH_NOARGS,
     "fact_tables() -> (subjects, [(code, class name)], [(alias stem, code)])\n\n"
     "Every subject a fact can have, and the function classes the reader knows."},
    {NULL, NULL, 0, NULL},
};

static int core_exec(PyObject *module) {
    core_state *st = get_state(module);
    st->error = PyErr_NewExceptionWithDoc("pybudget._core.Error", "Error raised by the C core.", PyExc_ValueError, NULL);
    if (!st->error || PyModule_AddObjectRef(module, "Error", st->error) < 0) return -1;
    st->parser_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &Parser_spec, NULL);
    if (!st->parser_type || PyModule_AddType(module, st->parser_type) < 0) return -1;
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
    return r;
}

static int core_traverse(PyObject *module, visitproc visit, void *arg) {
    core_state *st = get_state(module);
    Py_VISIT(st->error);
    Py_VISIT(st->parser_type);
    for (int i = 0; i < PB_R__COUNT; i++) Py_VISIT(st->record_types[i]);
    return 0;
}

static int core_clear(PyObject *module) {
    core_state *st = get_state(module);
    Py_CLEAR(st->error);
    Py_CLEAR(st->parser_type);
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
