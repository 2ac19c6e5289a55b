/* SPDX-License-Identifier: Apache-2.0 */
/*
 * table.c - the record's name table: every name a rule compares, tokenised once per
 * record (docs/names.md "Where names are normalised").
 *
 * Before, each comparison tokenised both of its names again, so a record with n
 * document names and m aliases cost n x m ICU transliterations. Now each name is
 * tokenised once here, at most IDR__NAMES_PER_KIND of each kind, and the rules compare
 * the prepared tokens with idr__name_toks_similarity().
 */
#include "enrich/names/names.h"

#include <string.h>

static void put(idr__enrichment *en, idr__name *n, const char *text) {
    n->text = text;
    idr__name_tokenize(en->m->names, text, &n->toks);
    en->rec.names.n_tokenised += text != NULL;
}

/* The first IDR__NAMES_PER_KIND of `n` names, taken from `text_at`. */
static idr__name *kind(idr__enrichment *en,
                       size_t n,
                       size_t *kept,
                       size_t *more,
                       const char *(*text_at)(const idr_candidate *c, size_t i)) {
    *kept = n < IDR__NAMES_PER_KIND ? n : IDR__NAMES_PER_KIND;
    *more = n - *kept;
    idr__name *v = idr__arena_calloc(en->arena, (*kept + 1) * sizeof *v);
    for (size_t i = 0; v && i < *kept; i++) {
        put(en, &v[i], text_at(en->c, i));
    }
    return v;
}

static const char *alias_at(const idr_candidate *c, size_t i) {
    return c->identity.aliases.v[i];
}
static const char *document_at(const idr_candidate *c, size_t i) {
    return c->documents[i].full_name;
}
static const char *recipient_at(const idr_candidate *c, size_t i) {
    return c->equipment.shipments[i].recipient_name;
}

int idr__names_enrich(idr__enrichment *en) {
    const idr_candidate *c = en->c;
    idr__name_table *t = &en->rec.names;
    put(en, &t->full_name, c->identity.full_name);
    put(en, &t->holder, c->payment.account_holder_name);
    put(en, &t->company, c->payment.payee_company_name);
    put(en, &t->firm, c->engagement.staffing_firm);
    t->aliases =
        kind(en, c->identity.aliases.n, &t->n_aliases, &t->more_aliases, alias_at);
    t->documents =
        kind(en, c->n_documents, &t->n_documents, &t->more_documents, document_at);
    t->recipients = kind(en, c->equipment.n_shipments, &t->n_recipients,
                         &t->more_recipients, recipient_at);
    return t->aliases && t->documents && t->recipients ? IDR_OK : IDR_ENOMEM;
}
