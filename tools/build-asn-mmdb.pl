#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# build-asn-mmdb.pl OUT.mmdb CSV... - build an ASN MaxMind DB from ip-location-db's
# asn CSV files (ip_range_start,ip_range_end,autonomous_system_number,
# autonomous_system_organization; inclusive ranges, IPv4 or IPv6 addresses).
#
# The records use the GeoLite2-ASN key names so idrisk (and any MaxMind DB reader)
# reads them the same way; the database_type is the project's own
# ("ip-location-db-ASN") so the file never passes itself off as a MaxMind product.
# Deterministic: the build epoch is SOURCE_DATE_EPOCH when set (the fetch step sets it
# from the package version), so the same CSV gives the same bytes.
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

die "usage: build-asn-mmdb.pl OUT.mmdb CSV...\n" if @ARGV < 2;
my ($out, @csv) = @ARGV;

my %types = (
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
);
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version               => 6,
    record_size              => 28,
    database_type            => 'ip-location-db-ASN',
    languages                => ['en'],
    description              => { en => 'ASN by ip-location-db (RouteViews, NRO, DB-IP Lite; CC BY 4.0), built by idrisk' },
    map_key_type_callback    => sub { $types{ $_[0] } },
    merge_strategy           => 'none',
    alias_ipv6_to_ipv4       => 1,
    remove_reserved_networks => 0,
);
$tree->_set_build_epoch($ENV{SOURCE_DATE_EPOCH}) if $ENV{SOURCE_DATE_EPOCH};

# Split one CSV line: fields may be double-quoted with "" escapes.
sub fields {
    my ($line) = @_;
    my @f;
    while (length $line) {
        if ($line =~ s/^"((?:[^"]|"")*)"(?:,|$)//) {
            (my $v = $1) =~ s/""/"/g;
            push @f, $v;
        } elsif ($line =~ s/^([^,]*)(?:,|$)//) {
            push @f, $1;
        } else {
            last;
        }
    }
    return @f;
}

my ($n, $bad) = (0, 0);
for my $file (@csv) {
    open my $fh, '<:encoding(UTF-8)', $file or die "build-asn-mmdb: $file: $!\n";
    while (my $line = <$fh>) {
        $line =~ s/\r?\n$//;
        next if $line eq '';
        my ($first, $last, $asn, $org) = fields($line);
        if (!defined $asn || $asn !~ /^\d+$/ || $asn == 0 || $asn > 4294967295) {
            $bad++;
            next;
        }
        my %rec = (autonomous_system_number => $asn + 0);
        $rec{autonomous_system_organization} = $org if defined $org && length $org;
        eval { $tree->insert_range($first, $last, \%rec); 1 } or do {
            # Teredo (2001::/32) and 6to4 (2002::/16) are aliased to the IPv4 tree by
            # alias_ipv6_to_ipv4, so their rows cannot be inserted and are not needed.
            warn "build-asn-mmdb: $file: $first-$last skipped: $@"
                if $bad < 5 && $@ !~ /aliased network/;
            $bad++;
            next;
        };
        $n++;
    }
    close $fh;
}
die "build-asn-mmdb: no usable rows\n" unless $n;
open my $oh, '>:raw', "$out.tmp" or die "build-asn-mmdb: $out.tmp: $!\n";
$tree->write_tree($oh);
close $oh or die "build-asn-mmdb: $out.tmp: $!\n";
rename "$out.tmp", $out or die "build-asn-mmdb: $out: $!\n";
print STDERR "build-asn-mmdb: $n ranges", ($bad ? ", $bad skipped" : ''), " -> $out\n";
