/* pb_packed.h - reading the packed tables of pb_audit.h: the texts, cells,
 * columns and named rows every pass over them asks for (the sums, the
 * restated figures, the code blocks). Internal and header-only: small
 * functions each pass calls per row. */
#ifndef PB_PACKED_H
#define PB_PACKED_H

#include "pb_audit.h"

#include <string.h>

/* A word as a text: a C string, or (PACKED_WORD) a string literal without strlen. */
#define PACKED_WORD(literal) {literal, sizeof literal - 1}
static inline pb_audit_text packed_word(const char *s) { return (pb_audit_text){s, strlen(s)}; }

/* The last bytes are compared first: names and codes of one length mostly differ there (a
 * CJK character's last byte, a code's last digit), which spares the call to memcmp. */
static inline int packed_text_eq(pb_audit_text a, pb_audit_text b) {
    return a.n == b.n && (a.n == 0 || (a.s[a.n - 1] == b.s[a.n - 1] && memcmp(a.s, b.s, a.n - 1) == 0));
}

static inline int packed_text_is(pb_audit_text t, const char *word) { return packed_text_eq(t, packed_word(word)); }

static inline int packed_has(const pb_audit_row *row, uint32_t flag) { return (row->flags & flag) != 0; }

/* The first slot holding a measure, or n_slots (a measure no row carries: every cell blank). */
static inline size_t packed_slot(const pb_audit_table *t, pb_audit_text measure) {
    for (size_t s = 0; s < t->n_slots; s++)
        if (packed_text_eq(t->slots[s], measure)) return s;
    return t->n_slots;
}

/* lookup.has_measure: one of the table's columns holds the measure. */
static inline int packed_column(const pb_audit_table *t, pb_audit_text measure) {
    for (size_t s = 0; s < t->n_columns; s++)
        if (packed_text_eq(t->slots[s], measure)) return 1;
    return 0;
}

/* A cell's state (PB_CELL_*); blank for a slot past the table's. */
static inline uint8_t packed_state(const pb_audit_table *t, size_t row, size_t slot) {
    return slot < t->n_slots ? t->state[row * t->n_slots + slot] : PB_CELL_BLANK;
}

/* A cell as the sums count it (lookup.cell_fen): the amount, 0 for blanks and dashes. */
static inline int64_t packed_cell(const pb_audit_table *t, size_t row, size_t slot) {
    if (slot >= t->n_slots) return 0;
    size_t at = row * t->n_slots + slot;
    return t->state[at] == PB_CELL_VALUE ? t->fen[at] : 0;
}

/* ctx.table(kind): the first table of a kind, or NULL. */
static inline const pb_audit_table *packed_first_of_kind(const pb_audit_table *tables, size_t n, pb_audit_text kind) {
    for (size_t i = 0; i < n; i++)
        if (packed_text_eq(tables[i].kind, kind)) return &tables[i];
    return NULL;
}

/* lookup.table_has_figures: some row prints an amount. */
static inline int packed_prints_figures(const pb_audit_table *t) {
    for (size_t i = 0; i < t->n_rows; i++)
        if (packed_has(&t->rows[i], PB_ROW_FIGURES)) return 1;
    return 0;
}

/* lookup.find_row: the first row of a side (PB_SIDE_ANY: any row) whose normalised name is
 * one of `names`; -1 for none. */
static inline long packed_find_named(const pb_audit_table *t, uint8_t side, const pb_audit_text *names,
                                     size_t n_names) {
    for (size_t i = 0; i < t->n_rows; i++) {
        if (side != PB_SIDE_ANY && t->rows[i].side != side) continue;
        for (size_t k = 0; k < n_names; k++)
            if (packed_text_eq(t->rows[i].norm, names[k])) return (long)i;
    }
    return -1;
}

#endif
