/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_json.cc - JSON parsing alone: cJSON (what lib/parse uses) against simdjson's
 * DOM parser, on the same candidate records. Prints numbers; asserts nothing.
 * bench/run.py runs it and parses its output. Built only when libsimdjson-dev is
 * installed (bench/CMakeLists.txt).
 *
 *   bench_json RECORDS.jsonl [MAX_RECORDS] [SECONDS]
 *
 * Each parser parses every record and frees its tree, over and over for SECONDS
 * (default 2) per parser. simdjson needs SIMDJSON_PADDING readable bytes past the end
 * of its input: "simdjson" parses records padded once up front (the best case, as
 * when the reader pads its buffer), "simdjson+copy" copies each record into a padded
 * buffer first, as a shim behind idr_engine_score_json(const char *, size_t) would
 * have to. One line per parser:
 *   json parser=cjson records=1000 bytes=4991876 mb_s=... us_record=...
 */
#include <cJSON.h>
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

double now_s() {
    using clock = std::chrono::steady_clock;
    return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

void report(const char *name, size_t records, size_t bytes, size_t rounds, double t) {
    double n = static_cast<double>(records) * static_cast<double>(rounds);
    double mb = static_cast<double>(bytes) * static_cast<double>(rounds) / 1e6;
    std::printf(
        "json parser=%s records=%zu bytes=%zu rounds=%zu mb_s=%.1f us_record=%.3f\n",
        name, records, bytes, rounds, mb / t, t / n * 1e6);
}

/* Run one round (every record once) until `seconds` have passed; returns rounds and
 * sets `t` to the time they took. A round that fails to parse is a hard error. */
template <typename F> size_t run(F round, double seconds, double &t) {
    size_t rounds = 0;
    double t0 = now_s();
    do {
        if (!round()) {
            std::exit(1);
        }
        rounds++;
        t = now_s() - t0;
    } while (t < seconds);
    return rounds;
}

} // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_json RECORDS.jsonl [MAX_RECORDS] [SECONDS]\n");
        return 2;
    }
    size_t max = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000;
    double seconds = argc > 3 ? std::atof(argv[3]) : 2.0;
    std::ifstream in(argv[1]);
    if (!in) {
        std::fprintf(stderr, "bench_json: cannot read %s\n", argv[1]);
        return 1;
    }
    std::vector<std::string> recs;
    std::vector<simdjson::padded_string> padded;
    size_t bytes = 0;
    for (std::string line; recs.size() < max && std::getline(in, line);) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        bytes += line.size();
        padded.emplace_back(line);
        recs.push_back(std::move(line));
    }
    if (recs.empty()) {
        std::fprintf(stderr, "bench_json: no records in %s\n", argv[1]);
        return 1;
    }
    double t = 0;
    size_t r = run(
        [&] {
            for (const std::string &s : recs) {
                cJSON *j = cJSON_ParseWithLength(s.data(), s.size());
                if (!j) {
                    std::fprintf(stderr, "bench_json: cJSON failed to parse a record\n");
                    return false;
                }
                cJSON_Delete(j);
            }
            return true;
        },
        seconds, t);
    report("cjson", recs.size(), bytes, r, t);

    simdjson::dom::parser parser;
    r = run(
        [&] {
            for (const simdjson::padded_string &s : padded) {
                simdjson::dom::element doc;
                if (parser.parse(s).get(doc) != simdjson::SUCCESS) {
                    std::fprintf(stderr,
                                 "bench_json: simdjson failed to parse a record\n");
                    return false;
                }
            }
            return true;
        },
        seconds, t);
    report("simdjson", recs.size(), bytes, r, t);

    r = run(
        [&] {
            for (const std::string &s : recs) {
                simdjson::dom::element doc;
                /* realloc_if_needed: copies into the parser's padded buffer */
                if (parser.parse(s.data(), s.size(), true).get(doc) !=
                    simdjson::SUCCESS) {
                    std::fprintf(stderr,
                                 "bench_json: simdjson failed to parse a record\n");
                    return false;
                }
            }
            return true;
        },
        seconds, t);
    report("simdjson+copy", recs.size(), bytes, r, t);
    std::printf("json simdjson_implementation=%s\n",
                simdjson::get_active_implementation()->name().c_str());
    return 0;
}
