/* SPDX-License-Identifier: Apache-2.0 */
/*
 * localtime.c - each session's time on the clock of the zone the candidate claims
 * (identity.timezone), computed once per record so that the network indicators read
 * hours instead of opening calendars.
 *
 * The zone must be one ICU knows as a system (IANA) zone: ucal_getCanonicalTimeZoneID
 * accepts aliases ("US/Pacific") and gives the canonical id ("America/Los_Angeles"),
 * and refuses custom ids such as "GMT+5" as non-system. One UCalendar is opened per
 * record, only when some session has a time, and closed before returning; ICU's
 * time-zone rules apply daylight saving for each session's own date.
 */
#include "enrich/geo/geo_internal.h"

#include <string.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>

/* Longest zone id accepted, in UTF-16 units with the terminator (IANA ids are under 40
 * bytes; the limit only bounds the stack buffers). */
#define ZONE_MAX 128

/* Record why the claimed zone `tz` cannot be used and return (IDR_ENOMEM when the
 * reason cannot be stored). */
#define UNUSABLE(fmt)                                                                    \
    do {                                                                                 \
        en->claimed_zone_unusable = idr__arena_printf(en->arena, fmt, tz);               \
        return en->claimed_zone_unusable ? IDR_OK : IDR_ENOMEM;                          \
    } while (0)

int idr__geo_local_times(idr__enrichment *en) {
    const idr_candidate *c = en->c;
    const char *tz = c->identity.timezone;
    if (!tz) {
        return IDR_OK;
    }
    UChar zone[ZONE_MAX];
    if (strlen(tz) >= ZONE_MAX) {
        UNUSABLE("the claimed time zone '%s' is not known");
    }
    u_uastrcpy(zone, tz);
    UErrorCode st = U_ZERO_ERROR;
    UChar canon[ZONE_MAX];
    UBool is_system = 0;
    int32_t n = ucal_getCanonicalTimeZoneID(zone, -1, canon, ZONE_MAX, &is_system, &st);
    if (U_FAILURE(st) || !is_system) {
        UNUSABLE("the claimed time zone '%s' is not a known IANA zone");
    }
    char id[ZONE_MAX * 3];
    int32_t len = 0;
    st = U_ZERO_ERROR;
    u_strToUTF8(id, (int32_t)sizeof id, &len, canon, n, &st);
    if (U_FAILURE(st) || len >= (int32_t)sizeof id) {
        UNUSABLE("the claimed time zone '%s' is not known");
    }
    id[len] = '\0';
    bool timed = false;
    for (size_t i = 0; i < c->n_sessions; i++) {
        timed |= c->sessions[i].at != IDR__TIME_NONE;
    }
    if (!timed || !en->net) {
        en->claimed_zone = idr__arena_strdup(en->arena, id);
        return en->claimed_zone ? IDR_OK : IDR_ENOMEM;
    }
    st = U_ZERO_ERROR;
    UCalendar *cal = ucal_open(zone, -1, "en_US_POSIX", UCAL_GREGORIAN, &st);
    if (U_FAILURE(st)) {
        UNUSABLE("the time-zone data for '%s' could not be loaded");
    }
    for (size_t i = 0; i < c->n_sessions; i++) {
        int64_t at = c->sessions[i].at;
        if (at == IDR__TIME_NONE) {
            continue;
        }
        st = U_ZERO_ERROR;
        ucal_setMillis(cal, (UDate)at * 1000.0, &st);
        int32_t hour = ucal_get(cal, UCAL_HOUR_OF_DAY, &st);
        int32_t minute = ucal_get(cal, UCAL_MINUTE, &st);
        int32_t wday = ucal_get(cal, UCAL_DAY_OF_WEEK, &st); /* UCAL_SUNDAY = 1 */
        int32_t zone_ms = ucal_get(cal, UCAL_ZONE_OFFSET, &st);
        int32_t dst_ms = ucal_get(cal, UCAL_DST_OFFSET, &st);
        if (U_FAILURE(st) || hour < 0 || hour > 23) {
            continue;
        }
        idr__local_time *lt = &en->net[i].local;
        lt->known = true;
        lt->hour = hour;
        lt->minute = minute;
        lt->weekday = wday - UCAL_SUNDAY;
        lt->utc_offset_min = (zone_ms + dst_ms) / 60000;
        lt->dst = dst_ms != 0;
    }
    ucal_close(cal);
    en->claimed_zone = idr__arena_strdup(en->arena, id);
    return en->claimed_zone ? IDR_OK : IDR_ENOMEM;
}
