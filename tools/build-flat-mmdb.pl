#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# build-flat-mmdb.pl SOURCE.json OUT.mmdb - build a small MaxMind DB in the flat
# ip-location-db layout from a JSON description, for idrisk's test fixtures.
#
# SOURCE.json: {"database_type": "...", "ip_version": 4|6, "build_epoch": N,
#               "description": "...",
#               "records": [{"network": "CIDR", "data": {key: value, ...}}, ...]}
# Keys and their MaxMind DB types are those of the ip-location-db city and asn files:
# country_code, state1, state2, city, postcode, timezone (strings), latitude, longitude
# (float), autonomous_system_number (uint32), autonomous_system_organization (string).
# Any other key is an error, so a typo cannot produce a fixture that tests nothing.
# build_epoch is fixed in the source, so the output bytes are reproducible.
use strict;
use warnings;
use JSON::PP;
use MaxMind::DB::Writer::Tree;

die "usage: build-flat-mmdb.pl SOURCE.json OUT.mmdb\n" unless @ARGV == 2;
my ($src, $out) = @ARGV;

my %types = (
    country_code                   => 'utf8_string',
    state1                         => 'utf8_string',
    state2                         => 'utf8_string',
    city                           => 'utf8_string',
    postcode                       => 'utf8_string',
    timezone                       => 'utf8_string',
    latitude                       => 'float',
    longitude                      => 'float',
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
);

open my $fh, '<:raw', $src or die "build-flat-mmdb: $src: $!\n";
my $doc = JSON::PP->new->utf8->decode(do { local $/; <$fh> });
close $fh;

my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version               => $doc->{ip_version} // 6,
    record_size              => 24,
    database_type            => $doc->{database_type} // 'flat',
    languages                => ['en'],
    description              => { en => $doc->{description} // '' },
    map_key_type_callback    => sub { $types{ $_[0] } or die "build-flat-mmdb: unknown key $_[0]\n" },
    merge_strategy           => 'none',
    alias_ipv6_to_ipv4       => ($doc->{ip_version} // 6) == 6 ? 1 : 0,
    remove_reserved_networks => 0,
);
$tree->_set_build_epoch($doc->{build_epoch}) if $doc->{build_epoch};

for my $r (@{ $doc->{records} }) {
    my %data = %{ $r->{data} };
    for my $k (keys %data) {
        die "build-flat-mmdb: unknown key $k\n" unless $types{$k};
        $data{$k} = $data{$k} + 0 if $types{$k} ne 'utf8_string';
    }
    $tree->insert_network($r->{network}, \%data);
}
open my $oh, '>:raw', $out or die "build-flat-mmdb: $out: $!\n";
$tree->write_tree($oh);
close $oh or die "build-flat-mmdb: $out: $!\n";
