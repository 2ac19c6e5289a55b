/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ids.c - the identifiers a store keeps of a record: which fields, how each is
 * normalised so that two spellings of one identifier meet, and its keyed hash
 * (docs/store.md has the table). Nothing here touches the database; nothing leaves
 * this file in plain text.
 */
#include "store/store_int.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *const class_names[IDR__IC_COUNT] = {
    [IDR__IC_SSN] = "ssn",
    [IDR__IC_PHONE] = "phone",
    [IDR__IC_EMAIL] = "email",
    [IDR__IC_ADDRESS] = "address",
    [IDR__IC_ACCOUNT] = "account",
    [IDR__IC_WALLET] = "wallet",
    [IDR__IC_DOCUMENT] = "document",
    [IDR__IC_DEVICE] = "device",
    [IDR__IC_IP] = "ip",
};

const char *idr__id_class_name(idr__id_class c) {
    return c > 0 && c < IDR__IC_COUNT ? class_names[c] : "unknown";
}

/* ------------------------------------------------------------------------------------
 * The set.
 * ---------------------------------------------------------------------------------- */
static void add(idr__idset *s,
                const idr__store_keys *k,
                idr__id_class cls,
                int role,
                size_t own_index,
                int32_t day,
                const void *msg,
                size_t n) {
    if (s->oom) {
        return;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        idr__ident *v = idr__realloc(s->al, s->v, cap * sizeof *v);
        if (!v) {
            s->oom = true;
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    idr__ident *e = &s->v[s->n++];
    e->cls = cls;
    e->role = role;
    e->own_index = own_index;
    e->day = day;
    idr__id_hash(&k->id, class_names[cls], msg, n, e->hash);
}

void idr__idset_free(idr__idset *s) {
    if (s->v) {
        idr__wipe(s->v, s->cap * sizeof *s->v);
    }
    idr__free(s->al, s->v);
    idr__wipe(s, sizeof *s);
}

const char *idr__id_trim(const char *s, size_t *n) {
    while (*s && isspace((unsigned char)*s)) {
        s++;
    }
    size_t l = strlen(s);
    while (l && isspace((unsigned char)s[l - 1])) {
        l--;
    }
    *n = l;
    return s;
}

/* ------------------------------------------------------------------------------------
 * Addresses: USPS Publication 28 style (Appendix C1 street suffixes, C2 secondary unit
 * designators, section 233 directionals), a small table rather than the full list:
 * enough that the spellings people type for one address give one key.
 * ---------------------------------------------------------------------------------- */
static const char *const addr_words[][2] = {
    {"STREET", "ST"},      {"STR", "ST"},          {"AVENUE", "AVE"},
    {"AV", "AVE"},         {"ROAD", "RD"},         {"DRIVE", "DR"},
    {"BOULEVARD", "BLVD"}, {"LANE", "LN"},         {"COURT", "CT"},
    {"PLACE", "PL"},       {"TERRACE", "TER"},     {"PARKWAY", "PKWY"},
    {"HIGHWAY", "HWY"},    {"CIRCLE", "CIR"},      {"SQUARE", "SQ"},
    {"TRAIL", "TRL"},      {"EXPRESSWAY", "EXPY"}, {"FREEWAY", "FWY"},
    {"CRESCENT", "CRES"},  {"ALLEY", "ALY"},       {"NORTH", "N"},
    {"SOUTH", "S"},        {"EAST", "E"},          {"WEST", "W"},
    {"NORTHEAST", "NE"},   {"NORTHWEST", "NW"},    {"SOUTHEAST", "SE"},
    {"SOUTHWEST", "SW"},
};
/* Secondary unit designators that become "#" when a unit number follows. */
static const char *const unit_words[] = {
    "APARTMENT", "APT", "UNIT", "SUITE", "STE", "#", "NO", "NUMBER", "ROOM", "RM", NULL};

/* U+00C0..U+00FF and U+0100..U+017F folded to an ASCII capital; '?' entries are the
 * two-letter folds handled in fold2(), ' ' the signs (multiplication, division). */
static const char latin1_fold[] = "AAAAAA?CEEEEIIIIDNOOOOO OUUUUY??"
                                  "AAAAAA?CEEEEIIIIDNOOOOO OUUUUY?Y";
static const char latin_ext_a_fold[] =
    "AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIII"
    "??JJKKKLLLLLLLLLLNNNNNNNNNOOOOOO??RRRRRRSSSSSSSS"
    "TTTTTTUUUUUUUUUUUUWWYYYZZZZZZS";
_Static_assert(sizeof latin1_fold == 65, "64 code points");
_Static_assert(sizeof latin_ext_a_fold == 129, "128 code points");

static const char *fold2(unsigned cp) {
    switch (cp) {
    case 0xC6:
    case 0xE6:
        return "AE";
    case 0xDE:
    case 0xFE:
        return "TH";
    case 0xDF:
        return "SS";
    case 0x132:
    case 0x133:
        return "IJ";
    case 0x152:
    case 0x153:
        return "OE";
    default:
        return NULL;
    }
}

/* Upper-case ASCII, fold Latin-1 and Latin Extended-A letters, drop apostrophes and
 * full stops (so "St." is "ST" and "O'Neil" is "ONEIL"), keep '#' as a word of its
 * own, every other punctuation is a space; other non-ASCII bytes are kept. */
static void addr_chars(idr__buf *b, const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        if (c < 0x80) {
            if (isalnum(c)) {
                char u = (char)toupper((int)c); /* c < 0x80 */
                idr__buf_put(b, &u, 1);
            } else if (c == '#') {
                idr__buf_puts(b, " # ");
            } else if (c != '\'' && c != '.') {
                idr__buf_put(b, " ", 1);
            }
            p++;
            continue;
        }
        if ((c == 0xC3 || c == 0xC4 || c == 0xC5) && (p[1] & 0xC0) == 0x80) {
            unsigned cp = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
            if (cp >= 0xC0) {
                const char *two = fold2(cp);
                char one =
                    cp < 0x100 ? latin1_fold[cp - 0xC0] : latin_ext_a_fold[cp - 0x100];
                if (two) {
                    idr__buf_puts(b, two);
                } else {
                    idr__buf_put(b, &one, 1);
                }
                p += 2;
                continue;
            }
        }
        idr__buf_put(b, (const char *)p, 1);
        p++;
    }
    idr__buf_put(b, " ", 1);
}

static bool in_words(const char *w, const char *const *list) {
    for (size_t i = 0; list[i]; i++) {
        if (strcmp(w, list[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* The address line(s) as one normalised string into `out`. */
static void addr_line(idr__buf *out, const char *line1, const char *line2) {
    idr__buf raw;
    idr__buf_init(&raw, out->al);
    addr_chars(&raw, line1);
    if (line2) {
        addr_chars(&raw, line2);
    }
    if (raw.oom) {
        out->oom = true;
        idr__buf_free(&raw);
        return;
    }
    char *save = NULL;
    bool pending_unit = false, first = true;
    for (char *w = strtok_r(raw.p, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (in_words(w, unit_words)) {
            /* a designator followed by a number: "#" joined to it, whatever the
             * designator was; a trailing one is dropped */
            pending_unit = true;
            continue;
        }
        for (size_t i = 0; i < sizeof addr_words / sizeof addr_words[0]; i++) {
            if (strcmp(w, addr_words[i][0]) == 0) {
                w = (char *)addr_words[i][1];
                break;
            }
        }
        if (!first) {
            idr__buf_put(out, " ", 1);
        }
        if (pending_unit) {
            idr__buf_put(out, "#", 1);
            pending_unit = false;
        }
        idr__buf_puts(out, w);
        first = false;
    }
    idr__wipe(raw.p, raw.cap);
    idr__buf_free(&raw);
}

char *idr__address_key(const idr__alloc *al, const idr__address *ad, bool *oom) {
    if (oom) {
        *oom = false;
    }
    if (!ad || !ad->present || !ad->line1) {
        return NULL;
    }
    idr__buf b;
    idr__buf_init(&b, al);
    idr__buf_puts(&b, ad->country);
    idr__buf_put(&b, "|", 1);
    if (ad->postal_code) {
        bool us = strcmp(ad->country, "US") == 0;
        size_t n = 0;
        for (const char *p = ad->postal_code; *p; p++) {
            unsigned char c = (unsigned char)*p;
            if (us ? isdigit(c) && n < 5 : isalnum(c) != 0) {
                char u = (char)toupper(c);
                idr__buf_put(&b, &u, 1);
                n++;
            }
        }
    }
    idr__buf_put(&b, "|", 1);
    size_t before = b.len;
    addr_line(&b, ad->line1, ad->line2);
    if (b.oom || b.len == before) { /* nothing but punctuation: not an address */
        if (oom) {
            *oom = b.oom;
        }
        if (b.p) {
            idr__wipe(b.p, b.cap);
        }
        idr__buf_free(&b);
        return NULL;
    }
    return b.p;
}

static void add_address(idr__idset *s,
                        const idr__store_keys *k,
                        const idr__address *ad,
                        int role,
                        size_t idx) {
    bool oom = false;
    char *key = idr__address_key(s->al, ad, &oom);
    if (oom) {
        s->oom = true; /* not "no address": the record would lose a link silently */
    }
    if (key) {
        size_t n = strlen(key);
        add(s, k, IDR__IC_ADDRESS, role, idx, 0, key, n);
        idr__wipe(key, n);
        idr__free(s->al, key);
    }
}

/* ------------------------------------------------------------------------------------
 * Phones: E.164 from libphonenumber when it parsed the number, else the digits with a
 * leading '+' only when one was given (so "+1 404 555 0142" meets "+14045550142").
 * ---------------------------------------------------------------------------------- */
static void add_phone(idr__idset *s,
                      const idr__store_keys *k,
                      const char *number,
                      const idr__phone_info *pi,
                      int role,
                      size_t idx) {
    if (pi && pi->parsed && pi->e164 && *pi->e164) {
        add(s, k, IDR__IC_PHONE, role, idx, 0, pi->e164, strlen(pi->e164));
        return;
    }
    if (!number) {
        return;
    }
    size_t n;
    const char *t = idr__id_trim(number, &n);
    char buf[64];
    size_t o = 0;
    if (n && t[0] == '+') {
        buf[o++] = '+';
    }
    for (size_t i = 0; i < n && o < sizeof buf; i++) {
        if (isdigit((unsigned char)t[i])) {
            buf[o++] = t[i];
        }
    }
    if (o > 0 && o > (buf[0] == '+' ? 1u : 0u)) {
        add(s, k, IDR__IC_PHONE, role, idx, 0, buf, o);
    }
    idr__wipe(buf, sizeof buf);
}

/* ------------------------------------------------------------------------------------
 * Names: the tokens of the normalised full name, sorted and joined by one space (word
 * order does not matter), and the last token as written (the surname in the order
 * people in the US write names). Without the ICU normaliser the simple normalisation.
 * ---------------------------------------------------------------------------------- */
static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_names(idr__idset *s,
                      const idr__store_keys *k,
                      const idr__enrichment *en,
                      const char *full_name) {
    const char *tok[IDR__NAME_MAX_TOKENS + 1];
    size_t n = 0;
    char simple[IDR__NAME_BUF];
    const idr__name_toks *t = en ? &en->rec.names.full_name.toks : NULL;
    if (t && t->n) {
        for (size_t i = 0; i < t->n && i < IDR__NAME_MAX_TOKENS; i++) {
            tok[n++] = t->buf + t->off[i];
        }
    } else if (full_name) {
        size_t o = 0;
        bool space = true;
        for (const char *p = full_name; *p && o + 1 < sizeof simple; p++) {
            unsigned char c = (unsigned char)*p;
            if (isalnum(c) || c >= 0x80) {
                simple[o++] = (char)tolower(c);
                space = false;
            } else if (!space) {
                simple[o++] = 0;
                space = true;
            }
        }
        simple[o] = 0;
        for (size_t i = 0; i < o && n < IDR__NAME_MAX_TOKENS;) {
            if (simple[i]) {
                tok[n++] = simple + i;
                i += strlen(simple + i);
            } else {
                i++;
            }
        }
    }
    if (n == 0) {
        return;
    }
    const char *last = tok[n - 1];
    idr__id_hash(&k->id, "surname", last, strlen(last), s->surname);
    s->has_surname = true;
    qsort(tok, n, sizeof tok[0], cmp_str);
    char joined[IDR__NAME_BUF + IDR__NAME_MAX_TOKENS];
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(tok[i]);
        if (o + l + 1 >= sizeof joined) {
            break;
        }
        if (i) {
            joined[o++] = ' ';
        }
        memcpy(joined + o, tok[i], l);
        o += l;
    }
    idr__id_hash(&k->id, "name", joined, o, s->name);
    s->has_name = true;
    idr__wipe(joined, sizeof joined);
    idr__wipe(simple, sizeof simple);
}

/* ------------------------------------------------------------------------------------
 * Near-duplicate signatures.
 * ---------------------------------------------------------------------------------- */
void idr__sig_bands(const idr__store_keys *k,
                    int kind,
                    uint64_t v,
                    uint8_t out[][IDR__BAND_HASH_BYTES],
                    size_t n) {
    unsigned bits =
        (unsigned)(64 / n); /* 12 or 16; the first 64 % n bands get one more */
    unsigned extra = (unsigned)(64 % n), shift = 0;
    for (size_t b = 0; b < n; b++) {
        unsigned w = bits + (b < extra ? 1u : 0u);
        uint64_t band = (v >> shift) & ((UINT64_C(1) << w) - 1);
        shift += w;
        uint8_t msg[9];
        msg[0] = (uint8_t)b;
        for (int i = 0; i < 8; i++) {
            msg[1 + i] = (uint8_t)(band >> (8 * i));
        }
        uint8_t h[IDR__ID_HASH_BYTES];
        idr__id_hash(&k->id, kind == IDR__SIG_PHOTO ? "photo-band" : "resume-band", msg,
                     sizeof msg, h);
        memcpy(out[b], h, IDR__BAND_HASH_BYTES);
    }
}

static bool word_byte(unsigned char c) {
    return isalnum(c) || c >= 0x80;
}

int idr__simhash(const idr__alloc *al,
                 const idr__store_keys *k,
                 const char *text,
                 uint64_t *out,
                 bool *indexed_out) {
    *indexed_out = false;
    if (!text) {
        return IDR_OK;
    }
    /* token starts and lengths, lower-cased into a copy */
    size_t len = strlen(text);
    char *low = idr__malloc(al, len + 1);
    size_t cap = 64, n = 0;
    size_t *off = idr__malloc(al, cap * sizeof *off),
           *tl = idr__malloc(al, cap * sizeof *tl);
    bool ok = low && off && tl;
    for (size_t i = 0; ok && i < len;) {
        if (!word_byte((unsigned char)text[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && word_byte((unsigned char)text[j])) {
            low[j] = (char)tolower((unsigned char)text[j]);
            j++;
        }
        if (n == cap) {
            cap *= 2;
            size_t *o2 = idr__realloc(al, off, cap * sizeof *off);
            off = o2 ? o2 : off;
            size_t *t2 = o2 ? idr__realloc(al, tl, cap * sizeof *tl) : NULL;
            tl = t2 ? t2 : tl;
            ok = o2 && t2;
            if (!ok) {
                break;
            }
        }
        off[n] = i;
        tl[n] = j - i;
        n++;
        i = j;
    }
    bool indexed = ok && n >= IDR__RESUME_MIN_TOKENS;
    if (indexed) {
        /* standard SimHash: each word 3-shingle votes for the bits of its 64-bit hash
         * (SipHash-2-4 under a fixed key, see idr__store_keys_init) */
        /* a bit is set when more than half of the shingles vote for it: ones[b] >
         * shingles - ones[b], counted without a branch per bit */
        uint32_t ones[64] = {0};
        uint32_t shingles = 0;
        char *sh = idr__malloc(al, len + 3);
        indexed = ok = sh != NULL;
        for (size_t i = 0; indexed && i + 2 < n; i++) {
            size_t o = 0;
            for (size_t w = 0; w < 3; w++) {
                if (w) {
                    sh[o++] = ' ';
                }
                memcpy(sh + o, low + off[i + w], tl[i + w]);
                o += tl[i + w];
            }
            uint8_t h8[crypto_shorthash_BYTES];
            crypto_shorthash(h8, (const unsigned char *)sh, o, k->shingle);
            uint64_t h = 0;
            for (int b = 0; b < 8; b++) {
                h |= (uint64_t)h8[b] << (8 * b);
            }
            for (int b = 0; b < 64; b++) {
                ones[b] += (uint32_t)((h >> b) & 1u);
            }
            shingles++;
        }
        uint64_t v = 0;
        for (int b = 0; b < 64; b++) {
            if ((uint64_t)ones[b] * 2 > shingles) {
                v |= UINT64_C(1) << b;
            }
        }
        *out = v;
        if (sh) {
            idr__wipe(sh, len + 3);
        }
        idr__free(al, sh);
    }
    if (low) {
        idr__wipe(low, len + 1);
    }
    idr__free(al, low);
    idr__free(al, off);
    idr__free(al, tl);
    *indexed_out = indexed;
    return ok ? IDR_OK : IDR_ENOMEM;
}

/* ------------------------------------------------------------------------------------
 * The record.
 * ---------------------------------------------------------------------------------- */
static bool is_hex(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return n > 0;
}

size_t idr__wallet_key(const char *a, char out[IDR__WALLET_MAX + 1]) {
    out[0] = '\0';
    if (!a) {
        return 0;
    }
    size_t n;
    const char *t = idr__id_trim(a, &n);
    if (n == 0 || n > IDR__WALLET_MAX) {
        return 0;
    }
    memcpy(out, t, n);
    out[n] = '\0';
    /* 0x-hex addresses (EVM chains) are case-insensitive (the case is only the EIP-55
     * checksum); others (base58, bech32) are kept as written */
    if (n > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && is_hex(t + 2, n - 2)) {
        for (size_t j = 0; j < n; j++) {
            out[j] = (char)tolower((unsigned char)out[j]);
        }
    }
    return n;
}

static int64_t floor_div(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

int idr__idset_build(idr__idset *s,
                     const idr__alloc *al,
                     const idr__store_keys *k,
                     const idr_candidate *c,
                     const idr__enrichment *en) {
    memset(s, 0, sizeof *s);
    s->al = al;
    const idr__identity *id = &c->identity;
    /* ssn: nine digits */
    if (id->ssn && strlen(id->ssn) == 9) {
        add(s, k, IDR__IC_SSN, IDR__ROLE_OWN, 0, 0, id->ssn, 9);
    }
    /* phones: own, then references across employers in order */
    for (size_t i = 0; i < c->contacts.n_phones; i++) {
        add_phone(s, k, c->contacts.phones[i].number, en ? &en->phones[i] : NULL,
                  IDR__ROLE_OWN, i);
    }
    const idr__work_history *wh = &c->work_history;
    size_t ref = 0;
    for (size_t e = 0; e < wh->n_employers; e++) {
        for (size_t r = 0; r < wh->employers[e].n_references; r++, ref++) {
            const idr__phone_info *pi = en && en->ref_phones && ref < en->n_ref_phones
                                            ? &en->ref_phones[ref]
                                            : NULL;
            add_phone(s, k, wh->employers[e].references[r].phone, pi, IDR__ROLE_OTHER,
                      ref);
        }
    }
    /* emails: the normalised mailbox; reference emails after the own ones */
    for (size_t i = 0; en && i < c->contacts.n_emails; i++) {
        const char *m = en->emails[i].normalized;
        if (m && *m) {
            add(s, k, IDR__IC_EMAIL, IDR__ROLE_OWN, i, 0, m, strlen(m));
        }
    }
    for (size_t i = 0; en && i < en->rec.n_ref_emails; i++) {
        const char *m = en->rec.ref_emails[i].normalized;
        if (m && *m) {
            add(s, k, IDR__IC_EMAIL, IDR__ROLE_OTHER, c->contacts.n_emails + i, 0, m,
                strlen(m));
        }
    }
    /* addresses */
    add_address(s, k, &id->residence, IDR__ROLE_OWN, 0);
    for (size_t i = 0; i < c->equipment.n_shipments; i++) {
        add_address(s, k, &c->equipment.shipments[i].address, IDR__ROLE_OTHER, i);
    }
    /* payout: the account id is already a keyed hash under the store key (hex); it is
     * hashed again in its own class so that every stored hash has one form */
    if (c->payment.account_id_hash && *c->payment.account_id_hash) {
        add(s, k, IDR__IC_ACCOUNT, IDR__ROLE_OWN, 0, 0, c->payment.account_id_hash,
            strlen(c->payment.account_id_hash));
    }
    for (size_t i = 0; i < c->payment.n_wallets; i++) {
        const char *a = c->payment.wallets[i].address;
        char buf[IDR__WALLET_MAX + 1];
        size_t n = idr__wallet_key(a, buf);
        if (n) {
            add(s, k, IDR__IC_WALLET, IDR__ROLE_OWN, i, 0, buf, n);
        }
        idr__wipe(buf, sizeof buf);
    }
    for (size_t i = 0; i < c->n_documents; i++) {
        const char *h = c->documents[i].number_hash;
        if (h && *h) {
            add(s, k, IDR__IC_DOCUMENT, IDR__ROLE_OWN, i, 0, h, strlen(h));
        }
    }
    /* devices and (ip, UTC day): distinct values, own_index the first session */
    size_t first_ident = s->n;
    for (size_t i = 0; i < c->n_sessions; i++) {
        const idr__session *se = &c->sessions[i];
        if (se->device_id) {
            size_t n;
            const char *t = idr__id_trim(se->device_id, &n);
            if (n) {
                uint8_t h[IDR__ID_HASH_BYTES];
                idr__id_hash(&k->id, "device", t, n, h);
                bool seen = false;
                for (size_t j = first_ident; j < s->n && !seen; j++) {
                    seen = s->v[j].cls == IDR__IC_DEVICE &&
                           memcmp(s->v[j].hash, h, sizeof h) == 0;
                }
                if (!seen) {
                    add(s, k, IDR__IC_DEVICE, IDR__ROLE_OWN, i, 0, t, n);
                }
            }
        }
        const idr__ip_info *ii = en && en->ips ? &en->ips[i] : NULL;
        if (se->ip.family && se->at != IDR__TIME_NONE &&
            !(ii && (ii->allow_listed || ii->relay))) {
            uint8_t msg[17];
            msg[0] = se->ip.family;
            memcpy(msg + 1, se->ip.addr, 16);
            int32_t day = (int32_t)floor_div(se->at, 86400);
            uint8_t h[IDR__ID_HASH_BYTES];
            idr__id_hash(&k->id, "ip", msg, sizeof msg, h);
            bool seen = false;
            for (size_t j = first_ident; j < s->n && !seen; j++) {
                seen = s->v[j].cls == IDR__IC_IP && s->v[j].day == day &&
                       memcmp(s->v[j].hash, h, sizeof h) == 0;
            }
            if (!seen) {
                add(s, k, IDR__IC_IP, IDR__ROLE_OWN, i, day, msg, sizeof msg);
            }
        }
    }
    /* name, surname, date of birth, engagement */
    add_names(s, k, en, id->full_name);
    if (id->date_of_birth != IDR__DATE_NONE) {
        uint8_t d[4];
        uint32_t v = (uint32_t)id->date_of_birth;
        for (int i = 0; i < 4; i++) {
            d[i] = (uint8_t)(v >> (8 * i));
        }
        idr__id_hash(&k->id, "dob", d, sizeof d, s->dob);
        s->has_dob = true;
    }
    s->eor = c->engagement.type == IDR__ENG_EOR_CONTRACTOR;
    if (id->has_phash) {
        s->has_photo = true;
        s->photo = id->photo_phash;
        idr__sig_bands(k, IDR__SIG_PHOTO, s->photo, s->photo_bands, IDR__PHOTO_BANDS);
    }
    if (idr__simhash(al, k, wh->resume_text, &s->resume, &s->has_resume) != IDR_OK) {
        s->oom = true;
    } else if (s->has_resume) {
        idr__sig_bands(k, IDR__SIG_RESUME, s->resume, s->resume_bands, IDR__RESUME_BANDS);
    }
    if (s->oom) {
        idr__idset_free(s);
        return IDR_ENOMEM;
    }
    return IDR_OK;
}
