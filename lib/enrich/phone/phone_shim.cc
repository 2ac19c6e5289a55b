/*
 * phone_shim.cc - the C interface of phone_shim.h over libphonenumber and its offline
 * geocoder (Debian's libphonenumber8 / libgeocoding). The only C++ in idrisk; nothing
 * here throws across the boundary and no C++ type leaves this file.
 */
#include "enrich/phone/phone_shim.h"

#include <cstdint>
#include <cstring>
#include <deque>
#include <list>
#include <map>
#include <new>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <mutex>
#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>

#include "idrisk/idrisk.h"

namespace i18n {
namespace phonenumbers {
/* The compiled-in metadata (a serialized PhoneMetadataCollection); exported by
 * libphonenumber but declared only in its private metadata.h. */
int metadata_size();
const void *metadata_get();
} // namespace phonenumbers
} // namespace i18n

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

/* ------------------------------------------------------------------------------------
 * Fast path: libphonenumber's number-type and region matching over its own metadata,
 * with the patterns compiled once by PCRE2 with JIT instead of ICU regular expressions
 * matched through a fresh RegexMatcher on every call (Debian builds libphonenumber
 * with ICU, not RE2). It replaces GetNumberType and GetRegionCodeForNumber only; Parse,
 * formatting and geocoding stay libphonenumber's.
 *
 * The metadata is the library's own compiled-in blob (i18n::phonenumbers::
 * metadata_get(), a serialized PhoneMetadataCollection), read here with a minimal
 * protobuf wire reader (libprotobuf is not linked directly). The logic mirrors
 * PhoneNumberUtil::GetNumberTypeHelper, IsNumberMatchingDesc and
 * GetRegionCodeForNumberFromRegionList of libphonenumber 8.12. If anything in the blob
 * is unexpected or a pattern does not compile, the fast path is off and every call
 * uses the library. Verified against the library by tests/unit/test_phone_shim.c and on
 * every input of tests/fuzz/fuzz_phone.c (IDR__PHONE_LIBRARY forces the library).
 * ---------------------------------------------------------------------------------- */

/* One PhoneNumberDesc: a number matches when its length is listed (or no lengths are
 * listed) and the pattern matches all of it. No pattern: never matches. */
struct Desc {
    pcre2_code *re = nullptr;
    std::vector<int> lengths;
};

/* PhoneMetadata field numbers (phonemetadata.proto) of the descriptions used, in the
 * order GetNumberTypeHelper tests them after the general description. */
enum {
    D_GENERAL,
    D_PREMIUM,
    D_TOLL_FREE,
    D_SHARED,
    D_VOIP,
    D_PERSONAL,
    D_PAGER,
    D_UAN,
    D_VOICEMAIL,
    D_FIXED,
    D_MOBILE,
    N_DESC
};
const int desc_field[N_DESC] = {1, 5, 4, 6, 8, 7, 21, 25, 28, 2, 3};
const PhoneNumberUtil::PhoneNumberType desc_type[N_DESC] = {
    PhoneNumberUtil::UNKNOWN,   PhoneNumberUtil::PREMIUM_RATE,
    PhoneNumberUtil::TOLL_FREE, PhoneNumberUtil::SHARED_COST,
    PhoneNumberUtil::VOIP,      PhoneNumberUtil::PERSONAL_NUMBER,
    PhoneNumberUtil::PAGER,     PhoneNumberUtil::UAN,
    PhoneNumberUtil::VOICEMAIL, PhoneNumberUtil::FIXED_LINE,
    PhoneNumberUtil::MOBILE};

struct Meta {
    std::string id;
    int cc = 0;
    Desc d[N_DESC];
    bool same_mobile_fixed = false;
    std::string leading_text;
    pcre2_code *leading = nullptr; /* prefix pattern choosing among shared codes */
};

/* Protobuf wire format reader: just varints and length-delimited fields. */
struct Wire {
    const uint8_t *p, *end;
    bool ok = true;
    uint64_t varint() {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= end) {
                ok = false;
                return 0;
            }
            uint8_t b = *p++;
            v |= static_cast<uint64_t>(b & 0x7f) << shift;
            if (!(b & 0x80)) {
                return v;
            }
        }
        ok = false;
        return 0;
    }
    bool next(uint32_t *field, uint32_t *wt) {
        if (!ok || p >= end) {
            return false;
        }
        uint64_t key = varint();
        *field = static_cast<uint32_t>(key >> 3);
        *wt = static_cast<uint32_t>(key & 7);
        return ok;
    }
    Wire sub() {
        uint64_t n = varint();
        Wire w{p, p, ok};
        if (!ok || n > static_cast<uint64_t>(end - p)) {
            ok = false;
            w.ok = false;
            return w;
        }
        w.end = p + n;
        p += n;
        return w;
    }
    void skip(uint32_t wt) {
        switch (wt) {
        case 0:
            varint();
            break;
        case 1:
            advance(8);
            break;
        case 2:
            (void)sub();
            break;
        case 5:
            advance(4);
            break;
        default:
            ok = false; /* groups are not used by this schema */
        }
    }
    void advance(size_t n) {
        if (static_cast<size_t>(end - p) < n) {
            ok = false;
        } else {
            p += n;
        }
    }
    std::string str() {
        Wire w = sub();
        return ok ? std::string(reinterpret_cast<const char *>(w.p), w.end - w.p)
                  : std::string();
    }
};

pcre2_code *compile(const std::string &pattern, bool full) {
    int errcode = 0;
    PCRE2_SIZE erroff = 0;
    uint32_t opts = PCRE2_ANCHORED | (full ? PCRE2_ENDANCHORED : 0);
    pcre2_code *re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()),
                                   pattern.size(), opts, &errcode, &erroff, nullptr);
    if (re && pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) != 0) {
        pcre2_code_free(re);
        re = nullptr;
    }
    return re;
}

class Fast {
  public:
    Fast() = default;
    Fast(const Fast &) = delete;
    Fast &operator=(const Fast &) = delete;
    ~Fast() {
        for (Meta &m : metas_) {
            for (Desc &d : m.d) {
                pcre2_code_free(d.re);
            }
            pcre2_code_free(m.leading);
        }
    }

    /* Load and compile; false leaves the fast path off. */
    bool build(const PhoneNumberUtil &util) {
        Wire w{static_cast<const uint8_t *>(i18n::phonenumbers::metadata_get()), nullptr};
        w.end = w.p + i18n::phonenumbers::metadata_size();
        uint32_t field, wt;
        while (w.next(&field, &wt)) {
            if (field == 1 && wt == 2) {
                Wire m = w.sub();
                metas_.emplace_back();
                if (!read_meta(m, &metas_.back())) {
                    return false;
                }
            } else {
                w.skip(wt);
            }
        }
        if (!w.ok || metas_.empty()) {
            return false;
        }
        std::map<std::string, const Meta *> by_id;
        for (const Meta &m : metas_) {
            if (m.id == "001") {
                nongeo_[m.cc] = &m;
            } else {
                by_id[m.id] = &m;
            }
        }
        std::set<int> codes;
        util.GetSupportedCallingCodes(&codes);
        for (int cc : codes) {
            if (nongeo_.count(cc)) {
                continue;
            }
            std::list<std::string> regions;
            util.GetRegionCodesForCountryCallingCode(cc, &regions);
            std::vector<const Meta *> &v = by_cc_[cc];
            for (const std::string &r : regions) {
                auto it = by_id.find(r);
                if (it == by_id.end()) {
                    return false;
                }
                v.push_back(it->second);
            }
        }
        return true;
    }

    /* GetNumberType and, for a valid number, the region GetRegionCodeForNumber gives. */
    PhoneNumberUtil::PhoneNumberType classify(int cc,
                                              const std::string &nsn,
                                              pcre2_match_data *md,
                                              std::string *region) const {
        const Meta *m = nullptr;
        auto ng = nongeo_.find(cc);
        if (ng != nongeo_.end()) {
            m = ng->second;
        } else {
            auto it = by_cc_.find(cc);
            if (it == by_cc_.end() || it->second.empty()) {
                return PhoneNumberUtil::UNKNOWN;
            }
            if (it->second.size() == 1) {
                m = it->second[0];
            } else {
                for (const Meta *r : it->second) {
                    if (r->leading ? match(r->leading, nsn, md)
                                   : type_of(*r, nsn, md) != PhoneNumberUtil::UNKNOWN) {
                        m = r;
                        break;
                    }
                }
            }
        }
        if (!m) {
            return PhoneNumberUtil::UNKNOWN;
        }
        *region = m->id;
        return type_of(*m, nsn, md);
    }

  private:
    static bool match(const pcre2_code *re, const std::string &s, pcre2_match_data *md) {
        return pcre2_match(re, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0, 0, md,
                           nullptr) >= 0;
    }

    static bool matches(const Desc &d, const std::string &nsn, pcre2_match_data *md) {
        if (!d.re) {
            return false;
        }
        if (!d.lengths.empty()) {
            int n = static_cast<int>(nsn.size());
            bool listed = false;
            for (int l : d.lengths) {
                listed |= l == n;
            }
            if (!listed) {
                return false;
            }
        }
        return match(d.re, nsn, md);
    }

    static PhoneNumberUtil::PhoneNumberType
    type_of(const Meta &m, const std::string &nsn, pcre2_match_data *md) {
        if (!matches(m.d[D_GENERAL], nsn, md)) {
            return PhoneNumberUtil::UNKNOWN;
        }
        for (int i = D_PREMIUM; i <= D_VOICEMAIL; i++) {
            if (matches(m.d[i], nsn, md)) {
                return desc_type[i];
            }
        }
        if (matches(m.d[D_FIXED], nsn, md)) {
            return m.same_mobile_fixed || matches(m.d[D_MOBILE], nsn, md)
                       ? PhoneNumberUtil::FIXED_LINE_OR_MOBILE
                       : PhoneNumberUtil::FIXED_LINE;
        }
        if (!m.same_mobile_fixed && matches(m.d[D_MOBILE], nsn, md)) {
            return PhoneNumberUtil::MOBILE;
        }
        return PhoneNumberUtil::UNKNOWN;
    }

    static bool read_desc(Wire w, Desc *d) {
        uint32_t field, wt;
        std::string pattern;
        bool has_pattern = false;
        while (w.next(&field, &wt)) {
            if (field == 2 && wt == 2) {
                pattern = w.str();
                has_pattern = true;
            } else if (field == 9 && wt == 0) {
                d->lengths.push_back(static_cast<int>(w.varint()));
            } else if (field == 9 && wt == 2) {
                Wire packed = w.sub();
                while (packed.ok && packed.p < packed.end) {
                    d->lengths.push_back(static_cast<int>(packed.varint()));
                }
                w.ok &= packed.ok;
            } else {
                w.skip(wt);
            }
        }
        if (!w.ok) {
            return false;
        }
        /* An empty pattern never matches (RegexBasedMatcher::MatchNationalNumber). */
        if (has_pattern && !pattern.empty()) {
            d->re = compile(pattern, true);
            return d->re != nullptr;
        }
        return true;
    }

    static bool read_meta(Wire w, Meta *m) {
        uint32_t field, wt;
        while (w.next(&field, &wt)) {
            int di = -1;
            for (int i = 0; i < N_DESC; i++) {
                if (desc_field[i] == static_cast<int>(field)) {
                    di = i;
                }
            }
            if (di >= 0 && wt == 2) {
                if (!read_desc(w.sub(), &m->d[di])) {
                    return false;
                }
            } else if (field == 9 && wt == 2) {
                m->id = w.str();
            } else if (field == 10 && wt == 0) {
                m->cc = static_cast<int>(w.varint());
            } else if (field == 18 && wt == 0) {
                m->same_mobile_fixed = w.varint() != 0;
            } else if (field == 23 && wt == 2) {
                m->leading_text = w.str();
            } else {
                w.skip(wt);
            }
        }
        if (!w.ok || m->id.empty()) {
            return false;
        }
        if (!m->leading_text.empty()) {
            m->leading = compile(m->leading_text, false);
            return m->leading != nullptr;
        }
        return true;
    }

    std::deque<Meta> metas_;
    std::unordered_map<int, std::vector<const Meta *>> by_cc_;
    std::unordered_map<int, const Meta *> nongeo_;
};

} // namespace

struct idr__phone_shim {
    PhoneNumberOfflineGeocoder geocoder;
    /* The geocoder loads its prefix tables lazily behind an absl::Mutex that sanitizers
     * cannot see; our own lock around each call makes the engine's thread safety
     * checkable with ThreadSanitizer and does not depend on that library detail. The
     * call is short (a table lookup after the first load), so the lock costs little. */
    mutable std::mutex geocoder_mu;
    icu::Locale english{"en"};
    Fast fast;
    bool fast_ok = false;
};

namespace {

/* Copy a std::string into a fixed buffer, always NUL-terminated. */
void put(char *dst, size_t cap, const std::string &s) {
    size_t n = s.size() < cap - 1 ? s.size() : cap - 1;
    std::memcpy(dst, s.data(), n);
    dst[n] = '\0';
}

void put(char *dst, size_t cap, const char *s) {
    put(dst, cap, std::string(s));
}

const char *type_name(PhoneNumberUtil::PhoneNumberType t) {
    switch (t) {
    case PhoneNumberUtil::FIXED_LINE:
        return "fixed_line";
    case PhoneNumberUtil::MOBILE:
        return "mobile";
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
        return "fixed_line_or_mobile";
    case PhoneNumberUtil::TOLL_FREE:
        return "toll_free";
    case PhoneNumberUtil::PREMIUM_RATE:
        return "premium_rate";
    case PhoneNumberUtil::SHARED_COST:
        return "shared_cost";
    case PhoneNumberUtil::VOIP:
        return "voip";
    case PhoneNumberUtil::PERSONAL_NUMBER:
        return "personal_number";
    case PhoneNumberUtil::PAGER:
        return "pager";
    case PhoneNumberUtil::UAN:
        return "uan";
    case PhoneNumberUtil::VOICEMAIL:
        return "voicemail";
    default:
        return "unknown";
    }
}

const char *parse_error_text(PhoneNumberUtil::ErrorType e) {
    switch (e) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        return "no valid country calling code (give the number with + and its country "
               "code, or a country hint)";
    case PhoneNumberUtil::NOT_A_NUMBER:
        return "not a phone number";
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
        return "too short after the international prefix";
    case PhoneNumberUtil::TOO_SHORT_NSN:
        return "too short to be a phone number";
    case PhoneNumberUtil::TOO_LONG_NSN:
        return "too long to be a phone number";
    default:
        return "could not be parsed";
    }
}

/* Two ASCII letters, upper-cased into out[3]; false otherwise. */
bool region_code(const char *in, char out[3]) {
    if (!in || !in[0] || !in[1] || in[2]) {
        return false;
    }
    for (int i = 0; i < 2; i++) {
        char c = in[i];
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
        if (c < 'A' || c > 'Z') {
            return false;
        }
        out[i] = c;
    }
    out[2] = '\0';
    return true;
}

int lookup(const idr__phone_shim *s,
           const char *number,
           size_t len,
           const char *region,
           unsigned flags,
           idr__phone_fact *f) {
    std::memset(f, 0, sizeof *f);
    if (!number) {
        put(f->error, sizeof f->error, "no number given");
        return IDR_EINVAL;
    }
    if (len > IDR__PHONE_MAX_INPUT) {
        put(f->error, sizeof f->error, parse_error_text(PhoneNumberUtil::TOO_LONG_NSN));
        return IDR_EINVAL;
    }
    char hint[3] = "ZZ"; /* libphonenumber's "unknown region" */
    if (region && region[0] && !region_code(region, hint)) {
        std::strcpy(hint, "ZZ");
    }
    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    PhoneNumber pn;
    PhoneNumberUtil::ErrorType e = util.Parse(std::string(number, len), hint, &pn);
    if (e != PhoneNumberUtil::NO_PARSING_ERROR) {
        put(f->error, sizeof f->error, parse_error_text(e));
        return IDR_EINVAL;
    }
    f->parsed = 1;
    f->country_code = pn.country_code();
    /* IsValidNumber(n) is GetNumberType(n) != UNKNOWN: both find the number's region
     * and run the same type matcher over its metadata (IsValidNumberForRegion returns
     * GetNumberTypeHelper(...) != UNKNOWN). Calling both would pay for that twice
     * (about 40 us). Checked on 201,365 parsed numbers (random digits under every
     * calling code plus every region's example number of every type): no difference. */
    std::string rc;
    PhoneNumberUtil::PhoneNumberType type;
    bool fast = s->fast_ok && !(flags & IDR__PHONE_LIBRARY);
    if (fast) {
        std::string nsn;
        util.GetNationalSignificantNumber(pn, &nsn);
        pcre2_match_data *md = pcre2_match_data_create(1, nullptr);
        if (!md) {
            throw std::bad_alloc();
        }
        type = s->fast.classify(pn.country_code(), nsn, md, &rc);
        pcre2_match_data_free(md);
    } else {
        type = util.GetNumberType(pn);
    }
    f->valid = type != PhoneNumberUtil::UNKNOWN ? 1 : 0;
    f->possible = util.IsPossibleNumber(pn) ? 1 : 0;
    put(f->type, sizeof f->type, type_name(type));
    std::string out;
    util.Format(pn, PhoneNumberUtil::E164, &out);
    put(f->e164, sizeof f->e164, out);
    if (flags & IDR__PHONE_DISPLAY) {
        util.Format(pn, PhoneNumberUtil::INTERNATIONAL, &out);
        put(f->international, sizeof f->international, out);
        util.Format(pn, PhoneNumberUtil::NATIONAL, &out);
        put(f->national, sizeof f->national, out);
    }
    if (!f->valid) {
        util.GetRegionCodeForCountryCode(pn.country_code(), &rc);
    } else if (!fast) {
        util.GetRegionCodeForNumber(pn, &rc);
    }
    /* "ZZ" (unknown) and "001" (non-geographic entities) are not regions. */
    if (rc.size() == 2 && rc != "ZZ") {
        put(f->region, sizeof f->region, rc);
    }
    if (f->valid) {
        std::string area;
        {
            std::lock_guard<std::mutex> lock(s->geocoder_mu);
            area = s->geocoder.GetDescriptionForValidNumber(pn, s->english);
        }
        put(f->area, sizeof f->area, area);
    }
    return IDR_OK;
}

} // namespace

extern "C" int idr__phone_shim_new(idr__phone_shim **out, char *why, size_t why_len) {
    *out = nullptr;
    try {
        const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
        idr__phone_shim *s = new idr__phone_shim();
        s->fast_ok = s->fast.build(util);
        *out = s;
        return IDR_OK;
    } catch (const std::bad_alloc &) {
        return IDR_ENOMEM;
    } catch (const std::exception &ex) {
        if (why && why_len) {
            put(why, why_len,
                std::string("libphonenumber failed to start: ") + ex.what());
        }
        return IDR_EINTERNAL;
    } catch (...) {
        if (why && why_len) {
            put(why, why_len, "libphonenumber failed to start");
        }
        return IDR_EINTERNAL;
    }
}

extern "C" void idr__phone_shim_free(idr__phone_shim *s) {
    try {
        delete s;
    } catch (...) {
        /* A destructor that throws would end the process; nothing can be done. */
    }
}

extern "C" int idr__phone_shim_lookup(const idr__phone_shim *s,
                                      const char *number,
                                      size_t len,
                                      const char *region,
                                      unsigned flags,
                                      idr__phone_fact *fact) {
    try {
        return lookup(s, number, len, region, flags, fact);
    } catch (const std::bad_alloc &) {
        std::memset(fact, 0, sizeof *fact);
        put(fact->error, sizeof fact->error, "out of memory");
        return IDR_ENOMEM;
    } catch (...) {
        std::memset(fact, 0, sizeof *fact);
        put(fact->error, sizeof fact->error, "libphonenumber raised an exception");
        return IDR_EINTERNAL;
    }
}

extern "C" int idr__phone_shim_fast(const idr__phone_shim *s) {
    return s && s->fast_ok ? 1 : 0;
}

extern "C" int idr__phone_shim_region_supported(const char *region) {
    try {
        char rc[3];
        if (!region_code(region, rc)) {
            return 0;
        }
        return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(rc) != 0 ? 1 : 0;
    } catch (...) {
        return 0;
    }
}
