/* SPDX-License-Identifier: Apache-2.0 */
/*
 * phone_agree.cc - the shim's own parser (lib/enrich/phone/phone_shim.cc, Fast::parse)
 * and its PCRE2 classifier against libphonenumber itself, number by number.
 *
 *   phone_agree [MIN_NUMBERS]      (default 120000; exit 0 when all agree)
 *
 * Numbers come from the library's own example numbers: every supported region and
 * non-geographic calling code, every type it lists, with the last 1-4 digits varied at
 * random, a digit dropped or added (too short, too long, possible but invalid), and
 * written as E.164, in the international and national formats (national ones parsed
 * with the region as hint, sometimes with a neighbour's hint or none), with the
 * national prefix after the country code, with an IDD prefix, an extension or a
 * letter (the last ones must fall back to the library). For each number the shim's
 * scoring lookup (flags 0) must give exactly what PhoneNumberUtil::Parse followed by
 * IsValidNumber, GetNumberType, GetRegionCodeForNumber (for a valid number; the
 * calling code's region otherwise), IsPossibleNumber, Format(E164) and the offline
 * geocoder give: the same parse status, calling code, national significant number,
 * Italian leading zeros, validity, type, region, possibility and area. The seed is fixed,
 * so every run checks the same numbers. The run also requires that the shim's parser read
 * at least MIN_NUMBERS of them itself (otherwise the library would be compared with
 * itself).
 */
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <list>
#include <set>
#include <string>
#include <vector>

#include <unicode/locid.h>

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include "enrich/phone/phone_shim.h"
#include "idrisk/idrisk.h"

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

struct Rng {
    uint64_t x = 0x9e3779b97f4a7c15ull; /* fixed seed: the same numbers every run */
    uint32_t next() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return static_cast<uint32_t>(x >> 11);
    }
    uint32_t below(uint32_t n) {
        return next() % n;
    }
};

const char *type_name(PhoneNumberUtil::PhoneNumberType t) {
    return idr__phone_shim_type_name(static_cast<int>(t));
}

struct Example {
    std::string region; /* "001" for a non-geographic code */
    PhoneNumber pn;
};

struct Checker {
    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    PhoneNumberOfflineGeocoder geocoder;
    icu::Locale english{"en"};
    idr__phone_shim *shim = nullptr;
    size_t n = 0, n_fast = 0, n_valid_fast = 0, n_parsed = 0, n_bad = 0;

    void fail(const std::string &num, const char *hint, const std::string &what) {
        if (n_bad++ < 25) {
            std::fprintf(stderr, "DIFFERENT: '%s' hint %s: %s\n", num.c_str(),
                         hint ? hint : "-", what.c_str());
        }
    }

    void check(const std::string &num, const char *hint) {
        n++;
        idr__phone_fact f;
        int rc = idr__phone_shim_lookup(shim, num.data(), num.size(), hint, 0, &f);
        n_fast += static_cast<size_t>(f.fast_parse);
        PhoneNumber pn;
        PhoneNumberUtil::ErrorType e = util.Parse(num, hint ? hint : "ZZ", &pn);
        if (e != PhoneNumberUtil::NO_PARSING_ERROR) {
            if (rc != IDR_EINVAL) {
                fail(num, hint, "library refuses it, the shim parsed it");
            }
            return;
        }
        n_parsed++;
        if (rc != IDR_OK) {
            fail(num, hint, std::string("library parses it, the shim says: ") + f.error);
            return;
        }
        std::string nsn, e164, region;
        util.GetNationalSignificantNumber(pn, &nsn);
        util.Format(pn, PhoneNumberUtil::E164, &e164);
        bool valid = util.IsValidNumber(pn);
        if (valid) {
            util.GetRegionCodeForNumber(pn, &region);
        } else {
            util.GetRegionCodeForCountryCode(pn.country_code(), &region);
        }
        if (region.size() != 2 || region == "ZZ") {
            region.clear();
        }
        /* The shim's NSN is its E.164 after + and the calling code. */
        std::string cc_text = std::to_string(f.country_code);
        std::string shim_nsn = std::string(f.e164).substr(1 + cc_text.size());
        bool shim_zero = shim_nsn.size() > 1 && shim_nsn[0] == '0';
        size_t zeros = 0;
        while (shim_zero && zeros < shim_nsn.size() - 1 && shim_nsn[zeros] == '0') {
            zeros++;
        }
        int lib_zeros = pn.italian_leading_zero() ? pn.number_of_leading_zeros() : 0;
        char why[256];
        if (f.country_code != pn.country_code() || shim_nsn != nsn || e164 != f.e164) {
            std::snprintf(why, sizeof why, "parse: shim +%d %s, library +%d %s",
                          f.country_code, shim_nsn.c_str(), pn.country_code(),
                          nsn.c_str());
            fail(num, hint, why);
        } else if (shim_zero != pn.italian_leading_zero() ||
                   (shim_zero && static_cast<int>(zeros) != lib_zeros)) {
            std::snprintf(why, sizeof why, "leading zeros: shim %zu, library %d", zeros,
                          lib_zeros);
            fail(num, hint, why);
        } else if (f.valid != (valid ? 1 : 0) ||
                   std::strcmp(f.type, type_name(util.GetNumberType(pn))) != 0 ||
                   region != f.region) {
            std::snprintf(why, sizeof why,
                          "valid/type/region: shim %d %s %s, library %d %s %s", f.valid,
                          f.type, f.region, valid ? 1 : 0,
                          type_name(util.GetNumberType(pn)), region.c_str());
            fail(num, hint, why);
        } else if (f.possible != (util.IsPossibleNumber(pn) ? 1 : 0)) {
            fail(num, hint, "possible differs");
        } else if ((valid ? geocoder.GetDescriptionForValidNumber(pn, english) : "") !=
                   f.area) {
            fail(num, hint, std::string("area differs: shim '") + f.area + "'");
        }
        n_valid_fast += static_cast<size_t>(f.fast_parse && valid);
    }
};

/* The example's NSN with its last digits varied, shortened or lengthened. */
std::string vary(const std::string &nsn, Rng *r) {
    std::string s = nsn;
    uint32_t how = r->below(10);
    if (how < 6) { /* same length, last 1-4 digits random: valid and invalid */
        size_t k = 1 + r->below(4);
        for (size_t i = s.size() > k ? s.size() - k : 0; i < s.size(); i++) {
            s[i] = static_cast<char>('0' + r->below(10));
        }
    } else if (how < 8) { /* too short */
        size_t drop = 1 + r->below(s.size() > 3 ? 3 : 1);
        s.erase(s.size() > drop ? s.size() - drop : 1);
    } else { /* too long */
        size_t add = 1 + r->below(r->below(4) == 0 ? 12 : 2);
        for (size_t i = 0; i < add; i++) {
            s += static_cast<char>('0' + r->below(10));
        }
    }
    return s;
}

} // namespace

int main(int argc, char **argv) {
    size_t want = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 120000;
    Checker c;
    char why[160] = "";
    if (idr__phone_shim_new(&c.shim, why, sizeof why) != IDR_OK) {
        std::fprintf(stderr, "phone_agree: shim did not start: %s\n", why);
        return 2;
    }
    if (!idr__phone_shim_fast(c.shim)) {
        std::fprintf(stderr, "phone_agree: the shim's fast path is off\n");
        return 1;
    }
    const PhoneNumberUtil &util = c.util;
    std::vector<Example> examples;
    std::set<std::string> regions;
    util.GetSupportedRegions(&regions);
    for (const std::string &region : regions) {
        std::set<PhoneNumberUtil::PhoneNumberType> types;
        util.GetSupportedTypesForRegion(region, &types);
        for (PhoneNumberUtil::PhoneNumberType t : types) {
            Example ex{region, PhoneNumber()};
            if (util.GetExampleNumberForType(region, t, &ex.pn)) {
                examples.push_back(ex);
            }
        }
    }
    std::set<int> nongeo;
    util.GetSupportedGlobalNetworkCallingCodes(&nongeo);
    for (int cc : nongeo) {
        Example ex{"001", PhoneNumber()};
        if (util.GetExampleNumberForNonGeoEntity(cc, &ex.pn)) {
            examples.push_back(ex);
        }
    }
    std::vector<std::string> region_list(regions.begin(), regions.end());
    Rng r;
    /* About nine in ten numbers are in a form the shim reads itself. */
    size_t per = want * 5 / 4 / examples.size() + 4;
    for (const Example &ex : examples) {
        std::string nsn;
        util.GetNationalSignificantNumber(ex.pn, &nsn);
        const int cc = ex.pn.country_code();
        const std::string cc_text = std::to_string(cc);
        const char *home = ex.region == "001" ? nullptr : ex.region.c_str();
        std::string national_prefix;
        if (home) {
            util.GetNddPrefixForRegion(ex.region, true, &national_prefix);
        }
        for (size_t i = 0; i < per; i++) {
            std::string digits = i == 0 ? nsn : vary(nsn, &r);
            PhoneNumber pn;
            pn.set_country_code(cc);
            pn.set_national_number(std::strtoull(digits.c_str(), nullptr, 10));
            if (digits.size() > 1 && digits[0] == '0') {
                pn.set_italian_leading_zero(true);
                size_t z = 1;
                while (z < digits.size() - 1 && digits[z] == '0') {
                    z++;
                }
                if (z > 1) {
                    pn.set_number_of_leading_zeros(static_cast<int32_t>(z));
                }
            }
            std::string text;
            const char *hint = nullptr;
            uint32_t form = r.below(20);
            if (form < 6) {
                text = "+" + cc_text + digits;
            } else if (form < 10) {
                util.Format(pn, PhoneNumberUtil::INTERNATIONAL, &text);
            } else if (form < 15 && home) {
                util.Format(pn, PhoneNumberUtil::NATIONAL, &text);
                hint = home;
            } else if (form < 16) { /* national digits, a random region as hint */
                util.Format(pn, PhoneNumberUtil::NATIONAL, &text);
                hint = region_list[r.below(static_cast<uint32_t>(region_list.size()))]
                           .c_str();
            } else if (form < 17) { /* national prefix after the calling code */
                text = "+" + cc_text + " " + national_prefix + digits;
            } else if (form < 18) { /* the calling code with a national hint */
                text = cc_text + digits;
                hint = home;
            } else if (form < 19) { /* IDD prefixes */
                text = (r.below(2) ? "00 " : "011 ") + cc_text + " " + digits;
                hint = r.below(2) ? "US" : "DE";
            } else { /* what only the library reads: extension, letters, tel: */
                static const char *const odd[] = {" ext. 12", "x3", " #45", "A",
                                                  ";ext=7"};
                text = (r.below(2) ? "tel:+" : "+") + cc_text + digits +
                       odd[r.below(sizeof odd / sizeof odd[0])];
            }
            c.check(text, hint);
        }
    }
    std::printf("phone_agree: %zu numbers (%zu examples), %zu parsed by libphonenumber, "
                "%zu read by the shim's parser (%zu of them valid), %zu different\n",
                c.n, examples.size(), c.n_parsed, c.n_fast, c.n_valid_fast, c.n_bad);
    idr__phone_shim_free(c.shim);
    if (c.n_bad) {
        return 1;
    }
    if (c.n_fast < want || c.n_valid_fast < want / 10) {
        std::fprintf(stderr, "phone_agree: too few numbers read by the shim's parser\n");
        return 1;
    }
    return 0;
}
