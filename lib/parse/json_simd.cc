/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse/json_simd.cc - simdjson DOM -> cJSON nodes in an arena (contract: json_simd.h).
 *
 * cJSON 1.7 behaviour reproduced here, node by node:
 *  - numbers: valuedouble is strtod() of the literal. simdjson's doubles are correctly
 *    rounded like glibc's strtod, and an int64/uint64 converted to double rounds to
 *    nearest-even, as strtod does for the same digits. valueint saturates at
 *    INT_MAX/INT_MIN, else truncates. "-0" is the one literal the DOM loses (int64 0,
 *    cJSON -0.0): idr__json_simd_text_ok() sends such text to cJSON.
 *  - true has valueint 1; keys are `string`, values `valuestring`;
 *  - a child list is linked both ways and its head's prev points at its last node.
 */
#include "parse/json_simd.h"

#include <climits>
#include <cstdint>
#include <cstring>

#ifdef IDR_HAVE_SIMDJSON
    #include <simdjson.h>
#endif

namespace {

struct number_chars {
    bool is[256];
    constexpr number_chars() : is() {
        for (int c = '0'; c <= '9'; c++) {
            is[c] = true;
        }
        is[static_cast<unsigned char>('+')] = true;
        is[static_cast<unsigned char>('-')] = true;
        is[static_cast<unsigned char>('e')] = true;
        is[static_cast<unsigned char>('E')] = true;
        is[static_cast<unsigned char>('.')] = true;
    }
};
constexpr number_chars k_num;

#ifdef IDR_HAVE_SIMDJSON
using simdjson::dom::element;
using simdjson::dom::element_type;

int saturate(double d) {
    if (d >= INT_MAX) {
        return INT_MAX;
    }
    if (d <= static_cast<double>(INT_MIN)) {
        return INT_MIN;
    }
    return static_cast<int>(d);
}

/* A NUL-terminated arena copy; NULL when the arena is exhausted or the bytes hold a NUL
 * (cJSON's C string would end there, a difference the caller must not see). */
char *copy_str(idr__arena *a, std::string_view s) {
    if (std::memchr(s.data(), '\0', s.size()) != nullptr) {
        return nullptr;
    }
    char *p = static_cast<char *>(idr__arena_alloc(a, s.size() + 1));
    if (p) {
        std::memcpy(p, s.data(), s.size());
        p[s.size()] = '\0';
    }
    return p;
}

cJSON *convert(idr__arena *a, element e, int depth);

/* Link `item` after `last` under `parent`; returns the new last node. */
cJSON *append(cJSON *parent, cJSON *last, cJSON *item) {
    if (!last) {
        parent->child = item;
    } else {
        last->next = item;
        item->prev = last;
    }
    return item;
}

cJSON *convert(idr__arena *a, element e, int depth) {
    cJSON *n = static_cast<cJSON *>(idr__arena_calloc(a, sizeof(cJSON)));
    if (!n) {
        return nullptr;
    }
    switch (e.type()) {
    case element_type::OBJECT: {
        if (depth >= IDR__SIMD_MAX_DEPTH) {
            return nullptr;
        }
        n->type = cJSON_Object;
        cJSON *last = nullptr;
        const simdjson::dom::object obj = e.get_object().value_unsafe();
        for (simdjson::dom::key_value_pair kv : obj) {
            cJSON *item = convert(a, kv.value, depth + 1);
            if (!item || !(item->string = copy_str(a, kv.key))) {
                return nullptr;
            }
            last = append(n, last, item);
        }
        if (n->child) {
            n->child->prev = last;
        }
        return n;
    }
    case element_type::ARRAY: {
        if (depth >= IDR__SIMD_MAX_DEPTH) {
            return nullptr;
        }
        n->type = cJSON_Array;
        cJSON *last = nullptr;
        const simdjson::dom::array arr = e.get_array().value_unsafe();
        for (element v : arr) {
            cJSON *item = convert(a, v, depth + 1);
            if (!item) {
                return nullptr;
            }
            last = append(n, last, item);
        }
        if (n->child) {
            n->child->prev = last;
        }
        return n;
    }
    case element_type::STRING:
        n->type = cJSON_String;
        n->valuestring = copy_str(a, e.get_string().value_unsafe());
        return n->valuestring ? n : nullptr;
    case element_type::INT64:
        n->valuedouble = static_cast<double>(e.get_int64().value_unsafe());
        break;
    case element_type::UINT64:
        n->valuedouble = static_cast<double>(e.get_uint64().value_unsafe());
        break;
    case element_type::DOUBLE:
        n->valuedouble = e.get_double().value_unsafe();
        break;
    case element_type::BOOL:
        if (e.get_bool().value_unsafe()) {
            n->type = cJSON_True;
            n->valueint = 1;
        } else {
            n->type = cJSON_False;
        }
        return n;
    case element_type::NULL_VALUE:
        n->type = cJSON_NULL;
        return n;
    }
    n->type = cJSON_Number;
    n->valueint = saturate(n->valuedouble);
    return n;
}
#endif

} // namespace

/* Sampling every 30th byte finds every run of 60+ number characters (such a run covers
 * a sampled byte) without a loop over every byte; "-0" is found through memchr. Both
 * matter: on a 5 KB record a byte-by-byte loop cost 49,000 instructions, a third of
 * what simdjson saves. */
extern "C" int idr__json_simd_text_ok(const char *json, size_t len) {
    const unsigned char *s = reinterpret_cast<const unsigned char *>(json);
    const size_t step = 30, too_long = 60;
    for (size_t p = step - 1; p < len; p += step) {
        if (!k_num.is[s[p]]) {
            continue;
        }
        size_t lo = p, hi = p + 1;
        while (lo > 0 && k_num.is[s[lo - 1]] && hi - lo < too_long) {
            lo--;
        }
        while (hi < len && k_num.is[s[hi]] && hi - lo < too_long) {
            hi++;
        }
        if (hi - lo >= too_long) {
            return 0;
        }
        while (p + step < hi) {
            p += step; /* the next sample inside this run adds nothing */
        }
    }
    for (const void *m = std::memchr(s, '-', len); m != nullptr;) {
        size_t i = static_cast<size_t>(static_cast<const unsigned char *>(m) - s);
        if (i + 1 < len && s[i + 1] == '0' &&
            (i + 2 >= len || (s[i + 2] != '.' && s[i + 2] != 'e' && s[i + 2] != 'E')) &&
            (i == 0 || s[i - 1] == ':' || s[i - 1] == ',' || s[i - 1] == '[' ||
             s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n' ||
             s[i - 1] == '\r')) {
            return 0;
        }
        m = i + 1 < len ? std::memchr(s + i + 1, '-', len - i - 1) : nullptr;
    }
    return 1;
}

extern "C" int idr__json_simd_available(void) {
#ifdef IDR_HAVE_SIMDJSON
    return 1;
#else
    return 0;
#endif
}

extern "C" cJSON *idr__json_simd_parse(idr__arena *a, const char *json, size_t len) {
#ifdef IDR_HAVE_SIMDJSON
    if (!a || !json) {
        return nullptr;
    }
    try {
        /* simdjson reads up to SIMDJSON_PADDING bytes past the text. */
        char *buf =
            static_cast<char *>(idr__arena_alloc(a, len + simdjson::SIMDJSON_PADDING));
        if (!buf) {
            return nullptr;
        }
        std::memcpy(buf, json, len);
        std::memset(buf + len, 0, simdjson::SIMDJSON_PADDING);
        simdjson::dom::parser parser;
        element doc;
        if (parser.parse(reinterpret_cast<const uint8_t *>(buf), len, false).get(doc) !=
            simdjson::SUCCESS) {
            return nullptr;
        }
        return convert(a, doc, 0);
    } catch (...) {
        return nullptr; /* std::bad_alloc inside simdjson: let cJSON decide */
    }
#else
    (void)a;
    (void)json;
    (void)len;
    return nullptr;
#endif
}
