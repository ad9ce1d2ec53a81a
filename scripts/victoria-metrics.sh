#!/usr/bin/env bash
# VictoriaMetrics, the OTLP metrics receiver of the OpenTelemetry integration tests (compat-tests' otel package).
#
#   scripts/victoria-metrics.sh      prints the path of the victoria-metrics binary (fetching it once)
#
# Debian packages it from trixie on (victoria-metrics 1.112); its binary also runs on Debian 12. It is taken as a
# .deb from the trixie suite of this machine's Debian archive and unpacked into a cache, the way scripts/jdks.sh
# brings JDK 11: nothing installed system-wide, the system's apt state untouched (an apt of its own).
#
# Environment:
#   TLSAGENT_VM_CACHE         where it goes (default ~/.cache/tls-agent/victoria-metrics)
#   TLSAGENT_DEBIAN_MIRROR    another archive URI for trixie (default: read from the machine's apt sources)
#
# Everything but the path goes to stderr. Any failure exits non-zero with a line that says what is missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=jdks.sh
source "$here/jdks.sh"        # its functions: find_mirrors, private_apt_download, die, say
me=victoria-metrics.sh

suite=trixie
package=victoria-metrics
cache=${TLSAGENT_VM_CACHE:-$HOME/.cache/tls-agent/victoria-metrics}
root=$cache/root
binary=$root/usr/bin/victoria-metrics
done_marker=$root/.tls-agent-complete

fetch() {
  command -v dpkg >/dev/null 2>&1 || die "dpkg is needed to unpack $package"
  find_mirrors
  [ -n "$main_uri" ] || die "no Debian archive found for $suite (set TLSAGENT_DEBIAN_MIRROR)"
  # Debian 12's keyring already holds trixie's keys.
  local key=$main_key
  [ "$key" != "-" ] || key=/usr/share/keyrings/debian-archive-keyring.gpg
  local apt=$cache/apt tmp
  rm -rf "$apt"
  mkdir -p "$apt/etc"
  echo "deb [signed-by=$key] $main_uri $suite main" >"$apt/etc/sources.list"
  say "fetching $package from:"
  sed 's/^/    /' "$apt/etc/sources.list" >&2
  private_apt_download "$apt" "$cache/debs" "$package"
  tmp=$(mktemp -d "$cache/.root.XXXXXX")
  local deb
  for deb in "$cache"/debs/"${package}"_*.deb; do
    dpkg -x "$deb" "$tmp" || die "dpkg -x $deb failed"
    say "$(basename "$deb"): version $(dpkg-deb -f "$deb" Version)"
  done
  [ -x "$tmp/usr/bin/victoria-metrics" ] || die "the .deb did not unpack to usr/bin/victoria-metrics"
  # Debian's build prints an empty -version; that it starts and exits is what is checked.
  "$tmp/usr/bin/victoria-metrics" -version >/dev/null 2>&1 || die "victoria-metrics does not run here"
  date -u +%FT%TZ >"$tmp/.tls-agent-complete"
  rm -rf "$root" "$apt"
  mv "$tmp" "$root"
}

case "${1:-}" in
  "")
    if [ ! -f "$done_marker" ] || [ ! -x "$binary" ]; then
      mkdir -p "$cache" || die "cannot create $cache (set TLSAGENT_VM_CACHE)"
      exec 9>"$cache/.lock"
      if command -v flock >/dev/null 2>&1; then flock 9 || die "cannot lock $cache/.lock"; fi
      if [ ! -f "$done_marker" ]; then
        say "$package is not in $cache yet: fetching it (once, about 41 MB)"
        fetch
      fi
      exec 9>&-
    fi
    echo "$binary"
    ;;
  -h|--help|help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2 ;;
  *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
